// A TPS's risk of being late in the saved projection (tepat simulate --save): the band of its arrival times against
// its deadline, and what the projection started from. Shared by the TPS page and the projection page.
import { fmtDateTime, fmtNumber, fmtPercent } from '../format.js';
import { t } from '../i18n.js';

// The span of time [start, end] (ms) that holds the arrivals and deadlines of these risks, with a margin.
export function bandDomain(risks) {
  let start = Infinity;
  let end = -Infinity;
  for (const risk of risks) {
    for (const iso of [risk.arrival_p05, risk.arrival_p95, risk.deadline]) {
      const ms = Date.parse(iso);
      start = Math.min(start, ms);
      end = Math.max(end, ms);
    }
  }
  if (!Number.isFinite(start)) return null;
  const margin = Math.max((end - start) * 0.04, 1_800_000);
  return [start - margin, end + margin];
}

export const bandLabel = (risk) => t('band.label', {
  p05: fmtDateTime(risk.arrival_p05), p50: fmtDateTime(risk.arrival_p50), p95: fmtDateTime(risk.arrival_p95),
  deadline: fmtDateTime(risk.deadline),
});

export const intervalText = (risk) => `${fmtPercent(risk.p_late_95[0])}–${fmtPercent(risk.p_late_95[1])}`;

const WIDTH = 200;
const HEIGHT = 20;

// The arrival times of one TPS over the scenarios as a band from the 5th to the 95th percentile, the part after the
// deadline in red, a white tick at the median and a dark line at the deadline. `domain` is the span of time drawn
// (shared by the rows of a table, so that bands compare); the picture is named with the times it shows.
export function ArrivalBand({ risk, domain, wide = false }) {
  const [start, end] = domain || bandDomain([risk]);
  const x = (iso) => Math.max(0, Math.min(WIDTH, ((Date.parse(iso) - start) / (end - start)) * WIDTH));
  const from = x(risk.arrival_p05);
  const to = Math.max(x(risk.arrival_p95), from + 1);
  const deadline = x(risk.deadline);
  const median = x(risk.arrival_p50);
  const lateFrom = Math.max(from, deadline);
  const label = bandLabel(risk);
  return (
    <svg class={`band${wide ? ' band-wide' : ''}`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none"
      role="img" aria-label={label}>
      <title>{label}</title>
      <line class="band-axis" x1="0" x2={WIDTH} y1="10" y2="10" />
      <rect class="band-range" x={from} width={to - from} y="4" height="12" />
      {to > deadline && <rect class="band-late" x={lateFrom} width={to - lateFrom} y="4" height="12" />}
      <line class="band-median" x1={median} x2={median} y1="4" y2="16" />
      <line class="band-deadline" x1={deadline} x2={deadline} y1="0" y2="20" />
    </svg>
  );
}

// What the parts of the band mean.
export function BandLegend() {
  return (
    <ul class="legend band-legend" aria-label={t('band.legend')}>
      <li><span class="swatch swatch-range" aria-hidden="true" />{t('band.range')}</li>
      <li><span class="swatch swatch-late" aria-hidden="true" />{t('band.late')}</li>
      <li><span class="swatch swatch-median" aria-hidden="true" />{t('band.median')}</li>
      <li><span class="swatch swatch-deadline" aria-hidden="true" />{t('band.deadline')}</li>
    </ul>
  );
}

// Where a projection started: the ledger as of a time (a live projection), or the plan.
export const runStart = (run) => (run.as_of ? t('risk.from_ledger', { at: fmtDateTime(run.as_of) })
  : t('risk.from_plan'));

// "500 skenario (seed 1), dari keadaan ledger pada …, dihitung …".
export const runText = (run) => t('risk.run', {
  scenarios: fmtNumber(run.scenarios), seed: run.seed, start: runStart(run), at: fmtDateTime(run.computed_at),
});
