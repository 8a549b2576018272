// The steps of a finding (POST /findings/{id}/steps) that the logged-in account may take in its state: Bawaslu
// registers a draft, recommends a registered finding to a KPU unit, closes or escalates an open one; the KPU unit
// addressed answers the recommendation and then records its follow-up. The server decides in the end; its reasons
// appear beside the field they name.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { ErrorSummary, Field } from '../../components/Field.jsx';
import { localToIso, zoneOf } from '../../format.js';
import { t } from '../../i18n.js';
import { user } from '../../session.js';
import { emptyFields, knownPaths, useProblems, WhenFields } from '../operator/common.jsx';
import { OPEN_STATES, refusalProblems } from './common.jsx';

// The steps a role may take from a state (oversight/finding.cc, Apply; the server's authorization on top).
export function allowedSteps(role, state) {
  const steps = [];
  if (role === 'bawaslu' || role === 'admin') {
    if (state === 'draft') steps.push('register');
    if (state === 'registered') steps.push('recommend');
  }
  if (role === 'kpu' || role === 'admin') {
    if (state === 'recommended') steps.push('answer');
    if (state === 'answered') steps.push('follow_up');
  }
  if ((role === 'bawaslu' || role === 'admin') && OPEN_STATES.includes(state)) steps.push('close', 'escalate');
  return steps;
}

// Steps whose text may be left empty.
const TEXT_OPTIONAL = ['register'];
const FIELDS = ['text', 'to', 'due'];

export function StepForms({ election, finding, onStep }) {
  const [done, setDone] = useState(null); // {step, state}
  const steps = allowedSteps(user.value?.role, finding.state);
  return (
    <section class="panel" aria-labelledby="finding-steps-title">
      <h2 id="finding-steps-title">{t('steps.title')}</h2>
      <StepDone done={done} />
      {steps.length === 0 ? <p id="finding-no-steps">{t('steps.none', { state: t(`finding_state.${finding.state}`).toLowerCase() })}</p> : (
        <div class="step-forms">
          {steps.map((step) => (
            <StepForm key={`${finding.version}-${step}`} election={election} finding={finding} step={step}
              onDone={(changed) => {
                setDone({ step, state: changed.state });
                onStep();
              }} />
          ))}
        </div>
      )}
    </section>
  );
}

function StepDone({ done }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), [done]);
  if (!done) return null;
  return (
    <p class="notice notice-ok" role="status" tabIndex={-1} ref={ref} id="step-result">
      {t('steps.done', { step: t(`step.${done.step}`), state: t(`finding_state.${done.state}`) })}
    </p>
  );
}

// The KPU unit a recommendation goes to by default: that of the finding's regency.
const defaultTo = (finding) => {
  const code = (finding.region || finding.node || '').replace(/^\w+:/, '');
  return /^\d{2}\.\d{2}/.test(code) ? `kpu:${code.slice(0, 5)}` : '';
};

// The default due time, as a datetime-local value in a zone: some days from now.
const inDays = (zone, days) => new Date(Date.now() + (zone.hours + 24 * days) * 3_600_000).toISOString().slice(0, 16);

function StepForm({ election, finding, step, onDone }) {
  const form = `step-${step}`;
  const zone0 = zoneOf(finding.region || user.value?.scope || '');
  const [text, setText] = useState('');
  const [to, setTo] = useState(() => defaultTo(finding));
  const [due, setDue] = useState(() => inDays(zone0, 3));
  const [zone, setZone] = useState(zone0);
  const [busy, setBusy] = useState(false);
  const problems = useProblems(form);
  const { f } = problems;
  const known = knownPaths(form, FIELDS);
  const recommend = step === 'recommend';

  const submit = async (event) => {
    event.preventDefault();
    const required = { ...(TEXT_OPTIONAL.includes(step) ? {} : { text }), ...(recommend ? { to } : {}) };
    const missing = emptyFields(required);
    if (missing.length) {
      problems.show(missing, known);
      return;
    }
    setBusy(true);
    problems.clear();
    try {
      const changed = await api.stepFinding(finding.id, {
        step, text: text.trim() || undefined,
        to: recommend ? to.trim() : undefined,
        due: recommend && due ? localToIso(due, zone) : undefined,
      });
      onDone(changed);
    } catch (error) {
      problems.show(refusalProblems(error, FIELDS), known);
      setBusy(false);
    }
  };

  return (
    <form class="form-card step-form" onSubmit={submit} noValidate aria-labelledby={`${form}-title`} id={form}>
      <h3 id={`${form}-title`}>{t(`step.${step}`)}</h3>
      <p class="muted">{t(`step_hint.${step}`)}</p>
      <ErrorSummary title={t('steps.refused')} problems={problems.summary} />
      {recommend && (
        <>
          <Field {...f('to')} label={t('steps.to')} hint={t('steps.to_hint')} required value={to}
            autocapitalize="none" spellcheck={false} onInput={(e) => setTo(e.currentTarget.value)} />
          <WhenFields f={f} path="due" value={due} zone={zone} onValue={setDue} onZone={setZone}
            label={t('finding.due')} hint={t('steps.due_hint')} required={false} />
        </>
      )}
      <Field {...f('text')} as="textarea" rows={3} label={t(`step_text.${step}`)} required={!TEXT_OPTIONAL.includes(step)}
        value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <button type="submit" class={step === 'close' || step === 'escalate' ? undefined : 'button-primary'} disabled={busy}>
        {busy ? t('form.sending') : t(`step.${step}`)}
      </button>
    </form>
  );
}
