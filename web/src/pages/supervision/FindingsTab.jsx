// The findings (temuan) in the region chosen (GET .../findings), filtered by state, each linking to its page; and a
// finding recorded by hand, for what no report's discrepancy shows (POST .../findings).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { ErrorSummary, Field } from '../../components/Field.jsx';
import { RegionChooser, useRegion } from '../../components/RegionChooser.jsx';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { fileName } from '../../export.js';
import { localToIso, zoneOf } from '../../format.js';
import { useLoader } from '../../hooks.js';
import { t } from '../../i18n.js';
import { paths, route, updateQuery } from '../../router.js';
import { emptyFields, knownPaths, submitting, useProblems, WhenFields } from '../operator/common.jsx';
import {
  CATEGORIES, ensurePlaceNames, FindingsTable, matchesFilter, refusalProblems, SEVERITIES, StateFilter,
} from './common.jsx';

export function FindingsTab({ election }) {
  const { scope, region, label } = useRegion();
  const filter = route.value.query.get('keadaan') || '';
  const { data, error, loading, reload } = useLoader(async (signal) => {
    const answer = await api.findings(election.id, region, signal);
    await ensurePlaceNames([region, ...answer.findings.map((f) => f.region || f.node)]);
    return answer.findings;
  }, [election.id, region]);

  const rows = (data || []).filter((f) => matchesFilter(f, filter));
  return (
    <>
      <section class="panel" aria-labelledby="findings-title">
        <h2 id="findings-title">{t('findings.title', { region: label })}</h2>
        <p class="muted">{t('findings.intro')}</p>
        <div class="filters">
          <RegionChooser id="findings-region" region={region} scope={scope} />
          <StateFilter id="findings-filter" findings={data || []} value={filter}
            onChange={(value) => updateQuery({ keadaan: value })} />
        </div>
        {loading && <Loading />}
        {error && <ErrorBox error={error} title={t('findings.error')} />}
        {data && (
          <FindingsTable election={election.id} id="findings-table" findings={rows}
            caption={filter ? t('findings.caption_filtered', { region: label, filter: filterLabel(filter) })
              : t('findings.caption', { region: label })}
            exportName={fileName('tepat', election.id, region || 'nasional', 'temuan', filter)}
            empty={t('findings.none')} />
        )}
      </section>
      <section class="panel" aria-labelledby="finding-form-title">
        <h2 id="finding-form-title">{t('finding_form.title')}</h2>
        <FindingForm election={election} region={region} onCreated={reload} />
      </section>
    </>
  );
}

const filterLabel = (filter) => (filter === 'open' ? t('findings.open_label')
  : filter === 'overdue' ? t('finding.overdue') : t(`finding_state.${filter}`));

const FORM = 'finding';
const FIELDS = ['region', 'category', 'severity', 'title', 'description', 'deadline'];

function FindingForm({ election, region: startRegion, onCreated }) {
  const [region, setRegion] = useState(startRegion);
  const [category, setCategory] = useState('procedure');
  const [severity, setSeverity] = useState('medium');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [deadline, setDeadline] = useState('');
  const [zone, setZone] = useState(zoneOf(startRegion));
  const [register, setRegister] = useState(true);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState(null);
  const problems = useProblems(FORM);
  const { f } = problems;
  const known = knownPaths(FORM, FIELDS);

  const submit = async (event) => {
    event.preventDefault();
    const missing = emptyFields({ region, title });
    if (missing.length) {
      problems.show(missing, known);
      return;
    }
    await submitting(problems, known, setBusy, async () => {
      const finding = await api.postFinding(election.id, {
        region: region.trim(), category, severity, title: title.trim(), description: description.trim() || undefined,
        deadline: deadline ? localToIso(deadline, zone) : undefined, register,
      });
      setCreated(finding);
      setTitle('');
      setDescription('');
      setDeadline('');
      onCreated();
    }, (error) => refusalProblems(error, FIELDS));
  };

  return (
    <>
      <Created election={election.id} finding={created} />
      <form class="form-card" onSubmit={submit} noValidate aria-labelledby="finding-form-heading">
        <h3 id="finding-form-heading">{t('finding_form.heading')}</h3>
        <p class="muted">{t('finding_form.intro')}</p>
        <ErrorSummary title={t('finding_form.refused')} problems={problems.summary} />
        <div class="field-row">
          <Field {...f('region')} label={t('finding.region')} hint={t('finding_form.region_hint')} required value={region}
            autocapitalize="none" spellcheck={false} onInput={(e) => setRegion(e.currentTarget.value)} />
          <Field {...f('category')} label={t('finding.category')} as="select" value={category}
            onChange={(e) => setCategory(e.currentTarget.value)}>
            {CATEGORIES.map((c) => <option key={c} value={c}>{t(`category.${c}`)}</option>)}
          </Field>
          <Field {...f('severity')} label={t('finding.severity')} as="select" value={severity}
            onChange={(e) => setSeverity(e.currentTarget.value)}>
            {SEVERITIES.map((s) => <option key={s} value={s}>{t(`severity.${s}`)}</option>)}
          </Field>
        </div>
        <Field {...f('title')} label={t('finding.title_field')} required value={title}
          onInput={(e) => setTitle(e.currentTarget.value)} />
        <Field {...f('description')} as="textarea" rows={4} label={t('finding.description')} value={description}
          onInput={(e) => setDescription(e.currentTarget.value)} />
        <WhenFields f={f} path="deadline" value={deadline} zone={zone} onValue={setDeadline} onZone={setZone}
          label={t('finding.deadline')} hint={t('finding_form.deadline_hint')} required={false} />
        <Field id="finding-register" type="checkbox" label={t('finding_form.register')} checked={register}
          onChange={(e) => setRegister(e.currentTarget.checked)} />
        <p>
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? t('form.sending') : t('finding_form.submit')}
          </button>
        </p>
      </form>
    </>
  );
}

function Created({ election, finding }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), [finding]);
  if (!finding) return null;
  return (
    <div class="notice notice-ok" role="status" tabIndex={-1} ref={ref} id="finding-created">
      <p><strong>{t('finding_form.created', { number: finding.number })}</strong> {finding.title}</p>
      <p><a href={paths.finding(election, finding.id)}>{t('discrepancies.open_finding', { number: finding.number })}</a></p>
    </div>
  );
}
