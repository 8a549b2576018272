import { electionDates, fmtDateTime, fmtDay, fmtSpan, fmtTime } from '../format.js';
import { t } from '../i18n.js';
import { lastUpdate, liveState } from '../live.js';

// The ledger's clock and the time left to the KPPS deadline and to voting day, counted from that clock (not from
// the reader's computer), and whether the page is receiving live updates.
export function ClockPanel({ election, at }) {
  const { votingDay, deadline } = electionDates(election);
  const clock = at ? Date.parse(at) : null;
  return (
    <section class="clock-panel" aria-label={t('clock.label')}>
      <p class="clock-at">
        <span>{at ? t('clock.as_of', { at: fmtDateTime(at) }) : t('clock.no_documents')}</span>
        <LiveBadge />
      </p>
      <dl class="clock-dates">
        <div>
          <dt>{t('clock.deadline', { n: election.deliver_days_before })}</dt>
          <dd>
            {t('clock.before', { at: fmtDateTime(new Date(deadline).toISOString()) })}
            {clock !== null && <span class="clock-left">{fmtSpan(deadline - clock)}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('clock.voting_day')}</dt>
          <dd>
            {fmtDay(election.voting_day)}
            {clock !== null && <span class="clock-left">{fmtSpan(votingDay - clock)}</span>}
          </dd>
        </div>
      </dl>
      {clock !== null && <p class="muted small">{t('clock.note')}</p>}
    </section>
  );
}

// "● Langsung" while the event stream is open; the polite live region says when the figures last changed.
function LiveBadge() {
  const state = liveState.value;
  const updated = lastUpdate.value;
  return (
    <span class="live-wrap">
      <span class={`live-badge live-${state}`}>
        <span class="live-dot" aria-hidden="true" />
        {t(`live.${state}`)}
      </span>
      <span class="live-update" role="status" aria-live="polite">
        {updated ? t('live.updated', { at: fmtTime(updated) }) : ''}
      </span>
    </span>
  );
}
