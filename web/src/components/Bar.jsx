import { fmtNumber, fmtPercent } from '../format.js';
import { t } from '../i18n.js';

// A progress bar with its percentage written beside it; the bar itself is decoration.
export function Bar({ value, tone = 'good' }) {
  const width = value === null || value === undefined ? 0 : Math.max(0, Math.min(1, value)) * 100;
  return (
    <span class="bar-cell">
      <span class={`bar bar-${tone}`} aria-hidden="true">
        <span class="bar-fill" style={{ width: `${width}%` }} />
      </span>
      <span class="bar-text">{fmtPercent(value)}</span>
    </span>
  );
}

const STATES = ['complete', 'in_transit', 'not_delivered'];

// The TPS of a region by delivery state, as one stacked bar with a legend that carries the numbers.
export function StateBar({ states, tps }) {
  const share = (n) => (tps > 0 ? n / tps : null);
  const summary = STATES.map((s) => `${t(`state.${s}`)} ${fmtNumber(states[s])} (${fmtPercent(share(states[s]))})`).join(', ');
  return (
    <div class="state-bar-block">
      <div class="state-bar" role="img" aria-label={summary}>
        {tps > 0 && STATES.map((s) => (
          <span key={s} class={`state-seg seg-${s}`} style={{ width: `${(states[s] / tps) * 100}%` }} />
        ))}
      </div>
      <ul class="legend">
        {STATES.map((s) => (
          <li key={s}>
            <span class={`swatch seg-${s}`} aria-hidden="true" />
            {t(`state.${s}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}
