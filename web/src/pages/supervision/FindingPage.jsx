// One finding (GET /findings/{id}): its fields and evidence, the recommendation with its answer and follow-up, the
// steps the logged-in account may take now, and the history of every step with who and when.
import { api } from '../../api.js';
import { ErrorBox, Loading, RoleGate } from '../../components/Status.jsx';
import { regionNames } from '../../data.js';
import { fmtDateTime, nodeLabel } from '../../format.js';
import { useLoader, useTitle } from '../../hooks.js';
import { t } from '../../i18n.js';
import { paths } from '../../router.js';
import { user } from '../../session.js';
import { ensurePlaceNames, FindingState, Overdue, PlaceLink } from './common.jsx';
import { Evidence } from './Evidence.jsx';
import { StepForms } from './StepForms.jsx';

export function FindingPage({ election, id }) {
  return (
    <RoleGate roles={['bawaslu', 'admin', 'kpu']}>
      <FindingView election={election} id={id} />
    </RoleGate>
  );
}

function FindingView({ election, id }) {
  const { data, error, loading, reload } = useLoader(async (signal) => {
    const finding = await api.finding(id, signal);
    await ensurePlaceNames([finding.region, finding.node, finding.recommendation?.to]);
    return finding;
  }, [id]);
  useTitle(data ? t('finding.page_title', { number: data.number }) : t('finding.page'));
  const back = user.value?.role === 'kpu'
    ? <a href={paths.operator(election.id, 'saran')}>{t('finding.back_advice')}</a>
    : <a href={paths.supervision(election.id, 'temuan')}>{t('finding.back_findings')}</a>;

  if (loading) return <Loading />;
  if (error) {
    return (
      <>
        <p class="back-link">{back}</p>
        <h1 tabIndex={-1}>{t('finding.page')}</h1>
        <ErrorBox error={error} title={t('finding.error')} />
      </>
    );
  }
  const f = data;
  const names = regionNames.value;
  return (
    <div class="page-finding" data-finding={f.id} data-state={f.state}>
      <p class="back-link">{back}</p>
      <div class="page-heading">
        <h1 tabIndex={-1}>{t('finding.page_title', { number: f.number })}</h1>
        <p class="subtitle">{f.title}</p>
      </div>

      <section class="panel" aria-labelledby="finding-facts-title">
        <h2 id="finding-facts-title">{t('finding.facts')}</h2>
        <dl class="facts">
          <div>
            <dt>{t('finding.state')}</dt>
            <dd id="finding-state"><FindingState state={f.state} /> <Overdue finding={f} /></dd>
          </div>
          <div><dt>{t('finding.category')}</dt><dd>{t(`category.${f.category}`)}</dd></div>
          <div><dt>{t('finding.severity')}</dt><dd>{t(`severity.${f.severity}`)}</dd></div>
          {f.stage && <div><dt>{t('report.stage')}</dt><dd>{t(`stage.${f.stage}`)}</dd></div>}
          {f.region && <div><dt>{t('finding.region')}</dt><dd><PlaceLink election={election.id} code={f.region} /></dd></div>}
          {f.node && <div><dt>{t('finding.node')}</dt><dd>{nodeLabel(f.node, names)} <code>{f.node}</code></dd></div>}
          {f.reported_party && <div><dt>{t('finding.reported_party')}</dt><dd>{f.reported_party}</dd></div>}
          {f.deadline && <div><dt>{t('finding.deadline')}</dt><dd>{fmtDateTime(f.deadline)}</dd></div>}
          <div>
            <dt>{t('finding.created')}</dt>
            <dd>{t('finding.created_by', { at: fmtDateTime(f.created_at), actor: f.created_by })}</dd>
          </div>
        </dl>
        {f.description && (
          <>
            <h3>{t('finding.description')}</h3>
            <p class="prose">{f.description}</p>
          </>
        )}
      </section>

      <section class="panel" aria-labelledby="finding-evidence-title">
        <h2 id="finding-evidence-title">{t('finding.evidence')}</h2>
        <Evidence election={election.id} finding={f} />
      </section>

      <section class="panel" aria-labelledby="finding-recommendation-title">
        <h2 id="finding-recommendation-title">{t('finding.recommendation')}</h2>
        <Recommendation finding={f} />
      </section>

      <StepForms election={election} finding={f} onStep={reload} />

      <section class="panel" aria-labelledby="finding-history-title">
        <h2 id="finding-history-title">{t('finding.history')}</h2>
        <History history={f.history || []} />
      </section>
    </div>
  );
}

function Recommendation({ finding }) {
  const r = finding.recommendation;
  if (!r) return <p id="finding-recommendation">{t('finding.no_recommendation')}</p>;
  const names = regionNames.value;
  return (
    <dl class="facts facts-wide" id="finding-recommendation">
      <div><dt>{t('finding.to')}</dt><dd>{nodeLabel(r.to, names)} <code>{r.to}</code></dd></div>
      <div>
        <dt>{t('finding.due')}</dt>
        <dd>{r.due ? fmtDateTime(r.due) : t('finding.no_due')} <Overdue finding={finding} /></dd>
      </div>
      <div class="fact-full">
        <dt>{t('finding.recommendation_text', { at: fmtDateTime(r.issued_at) })}</dt>
        <dd class="prose">{r.text}</dd>
      </div>
      <div class="fact-full">
        <dt>{r.answer ? t('finding.answer_at', { at: fmtDateTime(r.answered_at) }) : t('finding.answer')}</dt>
        <dd class="prose" id="finding-answer">{r.answer || t('finding.no_answer')}</dd>
      </div>
      {r.answer && (
        <div class="fact-full">
          <dt>{r.follow_up ? t('finding.follow_up_at', { at: fmtDateTime(r.followed_up_at) }) : t('finding.follow_up')}</dt>
          <dd class="prose" id="finding-follow-up">{r.follow_up || t('finding.no_follow_up')}</dd>
        </div>
      )}
    </dl>
  );
}

// Every step, oldest first: when, what, who, the state it left, and its note.
function History({ history }) {
  if (history.length === 0) return <p>{t('finding.no_history')}</p>;
  return (
    <ol class="timeline" id="finding-history">
      {history.map((event) => (
        <li key={event.seq} class={`timeline-entry step-${event.action}`}>
          <p class="timeline-head">
            <time datetime={event.at}>{fmtDateTime(event.at)}</time>
            <strong class="timeline-kind">{t(`action.${event.action}`)}</strong>
            <FindingState state={event.state} />
          </p>
          <p>{t('finding.by', { actor: event.actor })}</p>
          {event.note && <p class="prose">{event.note}</p>}
        </li>
      ))}
    </ol>
  );
}
