// A supervision report (Laporan Hasil Pengawasan, Form A; POST .../reports): a supervisor's visit to one node at one
// stage, with the counts made there, the kits and seals seen and, if the supervisor fills it, the stage's checklist.
// The server's reasons for refusing it appear beside the field its JSON path names.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { ErrorSummary, Field } from '../../components/Field.jsx';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { itemNames, regionNames } from '../../data.js';
import { quantity, toNode, uuid } from '../../documents.js';
import { fmtNumber, itemLabel, localToIso, nodeLabel, nowLocal, zoneOf } from '../../format.js';
import { t } from '../../i18n.js';
import { paths } from '../../router.js';
import { user } from '../../session.js';
import { emptyFields, GroupError, knownPaths, submitting, useProblems, WhenFields } from '../operator/common.jsx';
import { ChecklistFields, checklistAnswers, unanswered } from './ChecklistFields.jsx';
import { STAGES } from './common.jsx';

const FORM = 'report';

const freshKit = (kit = '', seals = []) => ({ kit, present: true, seals: seals.map((seal) => ({ seal, intact: true })) });

export function ReportForm({ election, onRecorded }) {
  const startZone = zoneOf(user.value?.scope || '');
  const [id, setId] = useState(uuid);
  const [stage, setStage] = useState('tps_h1');
  const [node, setNode] = useState('');
  const [at, setAt] = useState(() => nowLocal(startZone));
  const [zone, setZone] = useState(startZone);
  const [name, setName] = useState('');
  const [position, setPosition] = useState('');
  const [assignment, setAssignment] = useState('');
  const [narrative, setNarrative] = useState('');
  const [observed, setObserved] = useState([]);
  const [kits, setKits] = useState([]);
  const [checklist, setChecklist] = useState({ use: false, list: null, answers: [] });
  const [kitsLoad, setKitsLoad] = useState(null); // {loading} | {error} | {none}
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const problems = useProblems(FORM);
  const { f } = problems;
  const names = itemNames.value;

  const questions = checklist.use && checklist.list ? checklist.list.questions : [];
  const known = knownPaths(FORM, [
    'stage', 'node', 'at', 'supervisor', 'supervisor.name', 'supervisor.position', 'assignment', 'narrative',
    'observed', 'kits', 'checklist', 'checklist.id', 'checklist.answers',
    ...observed.flatMap((_, i) => [`observed[${i}]`, `observed[${i}].item`, `observed[${i}].count`]),
    ...kits.flatMap((k, i) => [`kits[${i}]`, `kits[${i}].kit`, `kits[${i}].present`, `kits[${i}].seals`,
      ...k.seals.flatMap((_, j) => [`kits[${i}].seals[${j}]`, `kits[${i}].seals[${j}].seal`,
        `kits[${i}].seals[${j}].intact`])]),
    ...questions.flatMap((_, i) => [`checklist.answers[${i}]`, `checklist.answers[${i}].answer`]),
  ]);

  const setLine = (i, change) => setObserved((all) => all.map((o, j) => (j === i ? { ...o, ...change } : o)));
  const setKit = (i, change) => setKits((all) => all.map((k, j) => (j === i ? { ...k, ...change } : k)));
  const setSeal = (i, j, change) => setKit(i, { seals: kits[i].seals.map((s, m) => (m === j ? { ...s, ...change } : s)) });

  // The kits packed for the TPS named, with their seals, to tick off.
  const tps = toNode(node).startsWith('kpps:') ? toNode(node).slice(5) : null;
  const loadKits = async () => {
    setKitsLoad({ loading: true });
    try {
      const answer = await api.tps(election.id, tps);
      const packed = answer.kits || [];
      setKits((all) => [...all.filter((k) => k.kit.trim() && !packed.some((p) => p.kit === k.kit.trim())),
        ...packed.map((p) => freshKit(p.kit, p.seals))]);
      setKitsLoad(packed.length ? null : { none: true });
    } catch (error) {
      setKitsLoad({ error });
    }
  };

  const reset = () => {
    setResult(null);
    setId(uuid());
    setObserved([]);
    setKits([]);
    setNarrative('');
    setNode('');
    setChecklist((c) => ({ ...c, use: false, answers: [] }));
  };

  const submit = async (event) => {
    event.preventDefault();
    const missing = [
      ...emptyFields({ node, at, 'supervisor.name': name, 'supervisor.position': position, assignment }),
      ...unanswered(questions, checklist.answers),
    ];
    if (missing.length) {
      problems.show(missing, known);
      return;
    }
    const report = {
      id, kind: 'supervision_report', election: election.id, stage,
      supervisor: { name: name.trim(), position: position.trim() },
      assignment: assignment.trim(), node: toNode(node), at: localToIso(at, zone),
      narrative: narrative.trim() || undefined,
      observed: observed.length ? observed.map((o) => ({ item: o.item.trim(), count: quantity(o.count) })) : undefined,
      kits: kits.length ? kits.map((k) => ({
        kit: k.kit.trim(), present: k.present,
        seals: k.present && k.seals.length ? k.seals.map((s) => ({ seal: s.seal.trim(), intact: s.intact })) : undefined,
      })) : undefined,
      checklist: questions.length ? checklistAnswers(checklist.list, checklist.answers) : undefined,
    };
    await submitting(problems, known, setBusy, async () => {
      const { json } = await api.postReport(election.id, report);
      setResult({ ...json, node: report.node });
      onRecorded?.();
    });
  };

  if (result) return <ReportResult election={election.id} result={result} onAgain={reset} />;

  const catalog = [...names.entries()];
  return (
    <form class="form-card" onSubmit={submit} noValidate aria-labelledby="report-title">
      <h3 id="report-title">{t('report.title')}</h3>
      <p class="muted">{t('report.intro')}</p>
      <ErrorSummary title={t('report.refused')} problems={problems.summary} />
      <div class="field-row">
        <Field {...f('stage')} label={t('report.stage')} as="select" value={stage}
          onChange={(e) => {
            setStage(e.currentTarget.value);
            setChecklist({ use: false, list: null, answers: [] });
          }}>
          {STAGES.map((s) => <option key={s} value={s}>{t(`stage.${s}`)}</option>)}
        </Field>
        <Field {...f('node')} label={t('report.node')} hint={t('report.node_hint')} value={node} required
          autocapitalize="none" spellcheck={false} onInput={(e) => setNode(e.currentTarget.value)} />
      </div>
      <WhenFields f={f} value={at} zone={zone} onValue={setAt} onZone={setZone} label={t('report.at')}
        hint={t('report.at_hint')} />

      <fieldset id={f('supervisor').id} tabIndex={-1}>
        <legend>{t('report.supervisor')}</legend>
        <GroupError {...f('supervisor')} />
        <div class="field-row">
          <Field {...f('supervisor.name')} label={t('report.supervisor_name')} autocomplete="name" required
            value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <Field {...f('supervisor.position')} label={t('report.supervisor_position')}
            hint={t('report.supervisor_position_hint')} required value={position}
            onInput={(e) => setPosition(e.currentTarget.value)} />
        </div>
        <Field {...f('assignment')} label={t('report.assignment')} hint={t('report.assignment_hint')} required
          value={assignment} onInput={(e) => setAssignment(e.currentTarget.value)} />
      </fieldset>

      <Field {...f('narrative')} as="textarea" rows={4} label={t('report.narrative')} hint={t('report.narrative_hint')}
        value={narrative} onInput={(e) => setNarrative(e.currentTarget.value)} />

      <fieldset id={f('observed').id} tabIndex={-1}>
        <legend>{t('report.observed')}</legend>
        <p class="hint">{t('report.observed_hint')}</p>
        <GroupError {...f('observed')} />
        <datalist id="report-items">
          {catalog.map(([code, label]) => <option key={code} value={code}>{label}</option>)}
        </datalist>
        {observed.map((o, i) => (
          <div class="repeat-row" key={i} id={f(`observed[${i}]`).id} tabIndex={-1}>
            <GroupError {...f(`observed[${i}]`)} />
            <Field {...f(`observed[${i}].item`)} label={t('report.observed_item', { n: i + 1 })} list="report-items"
              hint={o.item && names.size ? itemLabel(o.item.trim(), names) : t('dispatch.item_hint')}
              value={o.item} autocapitalize="none" spellcheck={false}
              onInput={(e) => setLine(i, { item: e.currentTarget.value })} />
            <Field {...f(`observed[${i}].count`)} label={t('report.observed_count', { n: i + 1 })} type="number"
              inputMode="numeric" min="0" step="1" value={o.count}
              onInput={(e) => setLine(i, { count: e.currentTarget.value })} />
            <button type="button" class="button-small" onClick={() => setObserved((all) => all.filter((_, j) => j !== i))}>
              {t('form.remove')}<span class="visually-hidden"> {t('report.observed_item', { n: i + 1 })}</span>
            </button>
          </div>
        ))}
        <button type="button" class="button-small" onClick={() => setObserved((all) => [...all, { item: '', count: '' }])}>
          {t('report.add_observed')}
        </button>
      </fieldset>

      <fieldset id={f('kits').id} tabIndex={-1}>
        <legend>{t('report.kits')}</legend>
        <p class="hint">{t('report.kits_hint')}</p>
        <GroupError {...f('kits')} />
        {kits.map((k, i) => (
          <KitSeen key={i} f={f} i={i} kit={k} onKit={(change) => setKit(i, change)} onSeal={(j, change) => setSeal(i, j, change)}
            onRemove={() => setKits((all) => all.filter((_, j) => j !== i))} />
        ))}
        <p class="button-row">
          <button type="button" class="button-small" disabled={!tps || kitsLoad?.loading} onClick={loadKits}
            aria-describedby="report-load-kits-hint">
            {t('report.load_kits')}
          </button>
          <button type="button" class="button-small" onClick={() => setKits((all) => [...all, freshKit()])}>
            {t('report.add_kit')}
          </button>
        </p>
        <p id="report-load-kits-hint" class="hint">
          {tps ? t('report.load_kits_hint', { tps }) : t('report.load_kits_need_tps')}
        </p>
        <div aria-live="polite">
          {kitsLoad?.loading && <Loading />}
          {kitsLoad?.none && <p class="notice">{t('report.no_kits', { tps })}</p>}
          {kitsLoad?.error && <ErrorBox error={kitsLoad.error} title={t('report.kits_error', { tps })} />}
        </div>
      </fieldset>

      <ChecklistFields f={f} stage={stage} value={checklist} onChange={setChecklist} />

      <button type="submit" class="button-primary" disabled={busy}>{busy ? t('form.sending') : t('report.submit')}</button>
    </form>
  );
}

// One kit as seen: its id, whether it is there, and each of its seals intact or not.
function KitSeen({ f, i, kit, onKit, onSeal, onRemove }) {
  const row = f(`kits[${i}]`);
  const name = kit.kit.trim() || t('report.kit_n', { n: i + 1 });
  return (
    <div class="kit-seen" id={row.id} tabIndex={-1}>
      <GroupError {...row} />
      <div class="repeat-row">
        <Field {...f(`kits[${i}].kit`)} label={t('report.kit_n', { n: i + 1 })} hint={t('report.kit_hint')}
          value={kit.kit} autocapitalize="none" spellcheck={false} onInput={(e) => onKit({ kit: e.currentTarget.value })} />
        <Field {...f(`kits[${i}].present`)} type="checkbox" label={t('report.kit_present', { kit: name })}
          checked={kit.present} onChange={(e) => onKit({ present: e.currentTarget.checked })} />
        <button type="button" class="button-small" onClick={onRemove}>
          {t('form.remove')}<span class="visually-hidden"> {name}</span>
        </button>
      </div>
      {kit.present && (
        <div class="seal-checks" id={f(`kits[${i}].seals`).id} tabIndex={-1}>
          <GroupError {...f(`kits[${i}].seals`)} />
          {kit.seals.length > 0 && (
            <table class="form-table">
              <caption>{t('report.seals_of', { kit: name, n: fmtNumber(kit.seals.length) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('report.seal')}</th>
                  <th scope="col">{t('report.seal_intact')}</th>
                  <th scope="col"><span class="visually-hidden">{t('form.remove')}</span></th>
                </tr>
              </thead>
              <tbody>
                {kit.seals.map((s, j) => {
                  const label = s.seal.trim() || t('report.seal_n', { n: j + 1 });
                  return (
                    <tr key={j} id={f(`kits[${i}].seals[${j}]`).id} tabIndex={-1}>
                      <td>
                        <GroupError {...f(`kits[${i}].seals[${j}]`)} />
                        <Field {...f(`kits[${i}].seals[${j}].seal`)} hideLabel label={t('report.seal_code', { n: j + 1, kit: name })}
                          value={s.seal} autocapitalize="none" spellcheck={false}
                          onInput={(e) => onSeal(j, { seal: e.currentTarget.value })} />
                      </td>
                      <td>
                        <Field {...f(`kits[${i}].seals[${j}].intact`)} type="checkbox" hideLabel checked={s.intact}
                          label={t('report.seal_intact_of', { seal: label })}
                          onChange={(e) => onSeal(j, { intact: e.currentTarget.checked })} />
                      </td>
                      <td>
                        <button type="button" class="button-small"
                          onClick={() => onKit({ seals: kit.seals.filter((_, m) => m !== j) })}>
                          {t('form.remove')}<span class="visually-hidden"> {label}</span>
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <button type="button" class="button-small" onClick={() => onKit({ seals: [...kit.seals, { seal: '', intact: true }] })}>
            {t('report.add_seal')}<span class="visually-hidden"> {name}</span>
          </button>
        </div>
      )}
    </div>
  );
}

// The answer to a recorded report: its number, and where its discrepancies show.
function ReportResult({ election, result, onAgain }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), [result]);
  return (
    <div class="notice notice-ok" role="status" tabIndex={-1} ref={ref} id="report-result">
      <p>
        <strong>{result.status === 'replayed' ? t('report.replayed') : t('report.recorded', { number: result.number })}</strong>{' '}
        {t('report.at_node', { node: nodeLabel(result.node, regionNames.value) })}
      </p>
      <p class="small">{t('report.id')} <code>{result.id}</code></p>
      <p>
        <a href={paths.supervision(election, 'ketidaksesuaian')}>{t('report.see_discrepancies')}</a>
      </p>
      <p><button type="button" onClick={onAgain}>{t('report.again')}</button></p>
    </div>
  );
}
