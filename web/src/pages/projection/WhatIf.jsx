// A what-if simulation of the region's distribution plan on request (POST .../simulations), for KPU and Bawaslu
// accounts whose scope holds the region, and for admins: one change (leave earlier, another transport, a closure, a
// vendor's delay) written as the text of a what-if file (shown, to copy for `tepat simulate --what-if`), the number
// of scenarios and a mitigation budget. The answer compares the plan with the change on the same scenarios, region by
// region, and lists the changes the mitigation chose. The server decides; its reasons appear beside the field.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import { DataTable } from '../../components/DataTable.jsx';
import { ErrorSummary, Field } from '../../components/Field.jsx';
import { problemsOf, quantity } from '../../documents.js';
import { fileName } from '../../export.js';
import { fmtNumber, localToIso, zoneOf } from '../../format.js';
import { t } from '../../i18n.js';
import { user } from '../../session.js';
import { knownPaths, submitting, useProblems, WhenFields } from '../operator/common.jsx';

const KINDS = ['advance', 'mode', 'close', 'vendor_delay'];
const MODES = ['truck', 'car', 'motorbike', 'boat', 'speedboat', 'aircraft', 'helicopter', 'foot'];
const SCENARIOS = [1000, 5000, 10000];
const SEED = 1;
const FORM = 'whatif';
// The one change of the form is the what-if file's first: the server names its fields change[1].what, ...
const CHANGE = 'change[1]';
const FIELDS = ['scenarios', 'mitigate', ...['what', 'region', 'days', 'modes', 'to', 'from'].map((f) => `${CHANGE}.${f}`)];

// Whether the account may simulate the region: an admin anywhere, KPU and Bawaslu within their scope; a province or
// below (not the nation).
export const maySimulate = (account, code) => Boolean(code && account) && (account.role === 'admin'
  || ((account.role === 'kpu' || account.role === 'bawaslu')
    && (!account.scope || code === account.scope || code.startsWith(`${account.scope}.`))));

// The text of a what-if file (formats.md §14.2) holding one change. A number typed that is not one goes as text, so
// that the server names the problem beside its field.
export function whatIfText(change) {
  const text = JSON.stringify;
  const lines = ['[[change]]', `what = ${text(change.what)}`, `region = ${text(change.region.trim())}`];
  if (change.what === 'mode') {
    if (change.modes) lines.push(`modes = [${text(change.modes)}]`);
    lines.push(`to = ${text(change.to)}`);
  } else {
    if (change.what === 'close' && change.from) lines.push(`from = ${text(change.from)}`);
    const days = quantity(change.days);
    if (days !== undefined) lines.push(`days = ${typeof days === 'number' ? days : text(days)}`);
  }
  return `${lines.join('\n')}\n`;
}

// "-0,8 (IK 95% -1 s.d. -0,6, pada skenario yang sama)": a difference from the plan with its 95% interval.
export const differenceText = (d) => t('whatif.difference_text', {
  mean: fmtNumber(d.mean), low: fmtNumber(d.low), high: fmtNumber(d.high),
});

// A refusal's problems; while another simulation runs, when to try again.
const refusal = (error) => (error instanceof ApiError && error.status === 503
  ? [{ field: '', reason: t('whatif.server_busy', { seconds: fmtNumber(error.retryAfter || 5) }) }]
  : problemsOf(error));

export function WhatIfPanel({ election, code, regionName }) {
  if (!maySimulate(user.value, code)) return null;
  return (
    <section class="panel" aria-labelledby="whatif-title">
      <h2 id="whatif-title">{t('whatif.title')}</h2>
      <p class="muted">{t('whatif.intro')}</p>
      <WhatIfForm key={code} election={election} code={code} regionName={regionName} />
    </section>
  );
}

function WhatIfForm({ election, code, regionName }) {
  const [what, setWhat] = useState('advance');
  const [region, setRegion] = useState(code);
  const [days, setDays] = useState('1');
  const [modes, setModes] = useState('');
  const [to, setTo] = useState('helicopter');
  const [from, setFrom] = useState('');
  const [zone, setZone] = useState(() => zoneOf(code));
  const [scenarios, setScenarios] = useState(SCENARIOS[0]);
  const [mitigate, setMitigate] = useState('0');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const problems = useProblems(FORM);
  const { f } = problems;
  const known = knownPaths(FORM, FIELDS);
  const text = whatIfText({ what, region, days, modes, to, from: from && localToIso(from, zone) });

  const submit = async (event) => {
    event.preventDefault();
    setResult(null);
    await submitting(problems, known, setBusy, async () => {
      setResult(await api.simulate(election.id, {
        region: code, scenarios, seed: SEED, what_if: text, mitigate: quantity(mitigate) ?? 0,
      }));
    }, refusal);
  };

  return (
    <>
      <form class="form-card" onSubmit={submit} noValidate aria-labelledby="whatif-title" id="whatif-form">
        <ErrorSummary title={t('whatif.refused')} problems={problems.summary} />
        <div class="field-row">
          <Field {...f(`${CHANGE}.what`)} as="select" label={t('whatif.what')} value={what}
            onChange={(e) => setWhat(e.currentTarget.value)}>
            {KINDS.map((kind) => <option key={kind} value={kind}>{t(`whatif.what.${kind}`)}</option>)}
          </Field>
          <Field {...f(`${CHANGE}.region`)} label={t('whatif.region')} hint={t('whatif.region_hint')} required
            value={region} autocapitalize="none" spellcheck={false} onInput={(e) => setRegion(e.currentTarget.value)} />
        </div>
        {what === 'mode' ? (
          <div class="field-row">
            <Field {...f(`${CHANGE}.modes`)} as="select" label={t('whatif.modes')} value={modes}
              onChange={(e) => setModes(e.currentTarget.value)}>
              <option value="">{t('whatif.modes_any')}</option>
              {MODES.map((mode) => <option key={mode} value={mode}>{t(`mode.${mode}`)}</option>)}
            </Field>
            <Field {...f(`${CHANGE}.to`)} as="select" label={t('whatif.to')} value={to}
              onChange={(e) => setTo(e.currentTarget.value)}>
              {MODES.map((mode) => <option key={mode} value={mode}>{t(`mode.${mode}`)}</option>)}
            </Field>
          </div>
        ) : (
          <div class="field-row">
            <Field {...f(`${CHANGE}.days`)} label={t('whatif.days')} hint={t(`whatif.days_hint.${what}`)}
              type="number" inputMode="numeric" min="1" max="60" step="1" required value={days}
              onInput={(e) => setDays(e.currentTarget.value)} />
          </div>
        )}
        {what === 'close' && (
          <WhenFields f={f} path={`${CHANGE}.from`} value={from} zone={zone} onValue={setFrom} onZone={setZone}
            label={t('whatif.from')} hint={t('whatif.from_hint')} />
        )}
        <div class="field-row">
          <Field {...f('scenarios')} as="select" label={t('projection.scenarios')} value={scenarios}
            onChange={(e) => setScenarios(Number(e.currentTarget.value))}>
            {SCENARIOS.map((n) => <option key={n} value={n}>{fmtNumber(n)}</option>)}
          </Field>
          <Field {...f('mitigate')} label={t('whatif.mitigate')} hint={t('whatif.mitigate_hint')} type="number"
            inputMode="numeric" min="0" max="10" step="1" value={mitigate}
            onInput={(e) => setMitigate(e.currentTarget.value)} />
        </div>
        <details id="whatif-file">
          <summary>{t('whatif.file')}</summary>
          <p class="muted small">{t('whatif.file_hint')}</p>
          <pre class="command"><code id="whatif-toml">{text}</code></pre>
        </details>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t('whatif.running') : t('whatif.submit')}
        </button>
      </form>
      <div aria-live="polite" aria-busy={busy ? 'true' : undefined} id="whatif-live">
        {busy && <p class="loading">{t('whatif.running')}</p>}
        {result && <WhatIfResult election={election} result={result} regionName={regionName} />}
      </div>
    </>
  );
}

// The plan against the plan with the change, on the same scenarios; the regions below that changed; the mitigation.
function WhatIfResult({ election, result, regionName }) {
  const { scope, what_if: whatIf, mitigation } = result;
  return (
    <section id="whatif-result" aria-labelledby="whatif-result-title">
      <h3 id="whatif-result-title">{t('whatif.result_title')}</h3>
      <p class="muted small">{t('whatif.result_run', { scenarios: fmtNumber(result.scenarios), seed: result.seed })}</p>
      <ul class="stat-cards">
        <li class="stat-card stat-tps">
          <span class="stat-label">{t('whatif.plan')}</span>
          <span class="stat-value" id="whatif-plan">{fmtNumber(scope.expected_late)}</span>
        </li>
        <li class="stat-card stat-late">
          <span class="stat-label">{t('whatif.with_change')}</span>
          <span class="stat-value" id="whatif-changed">{fmtNumber(whatIf.scope.expected_late)}</span>
        </li>
      </ul>
      <p>
        <strong>{t('whatif.difference')}</strong> <span id="whatif-difference">{differenceText(whatIf.difference)}</span>
      </p>
      <p>
        {t('whatif.changes')} <span id="whatif-changes" lang="en">{whatIf.changes.join('; ')}</span>
      </p>
      <ChangedRegions election={election} result={result} regionName={regionName} />
      {mitigation && <Mitigation mitigation={mitigation} />}
    </section>
  );
}

// The regions directly below whose expected late TPS the change moved, the largest move first.
function ChangedRegions({ election, result, regionName }) {
  const plan = new Map(result.regions.map((r) => [r.code, r.expected_late]));
  const rows = result.what_if.regions.filter((r) => r.expected_late !== plan.get(r.code))
    .map((r) => ({ ...r, plan: plan.get(r.code), difference: r.expected_late - plan.get(r.code) }));
  return (
    <DataTable
      id="whatif-regions-table"
      caption={t('whatif.regions_caption', { region: regionName })}
      sheetName={t('whatif.title')}
      exportName={fileName('tepat', election.id, result.region, 'what-if')}
      rowKey={(r) => r.code}
      sort={{ key: 'difference', dir: 'asc' }}
      rows={rows}
      empty={t('whatif.regions_none')}
      columns={[
        { key: 'code', label: t('table.code'), type: 'text', value: (r) => r.code },
        { key: 'name', label: t('whatif.region'), type: 'text', rowHeader: true, value: (r) => r.name },
        { key: 'plan', label: t('whatif.plan'), type: 'number', value: (r) => r.plan },
        { key: 'changed', label: t('whatif.with_change'), type: 'number', value: (r) => r.expected_late },
        { key: 'difference', label: t('whatif.region_difference'), type: 'number', value: (r) => r.difference },
      ]}
    />
  );
}

// The changes the mitigation chose, each with how much it reduced late TPS, and all of them simulated together.
function Mitigation({ mitigation }) {
  return (
    <>
      <h4>{t('whatif.mitigation_title')}</h4>
      <p class="muted small">{t('whatif.mitigation_note')}</p>
      {mitigation.changes.length === 0 ? <p id="whatif-mitigation-none">{t('whatif.mitigation_none')}</p> : (
        <ol id="whatif-mitigation">
          {mitigation.changes.map((c, i) => (
            <li key={i}>
              <span lang="en">{c.change}</span>: {t('whatif.reduction', { reduction: fmtNumber(c.reduction) })}
            </li>
          ))}
        </ol>
      )}
      <p>
        {t('whatif.with_mitigation')} <strong id="whatif-mitigated">{fmtNumber(mitigation.scope.expected_late)}</strong>
      </p>
      <p>
        <strong>{t('whatif.mitigation_difference')}</strong>{' '}
        <span id="whatif-mitigation-difference">{differenceText(mitigation.difference)}</span>
      </p>
    </>
  );
}
