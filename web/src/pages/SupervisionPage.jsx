// The Bawaslu supervisor's page, read-only: the TPS with problems in scope, filterable by problem, each linking to
// its TPS page; a kit by its label. The supervisors' own records (LHP / Form A, findings) come in a later issue and
// will be written in the section reserved for them below.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { DataTable } from '../components/DataTable.jsx';
import { Field } from '../components/Field.jsx';
import { PROBLEMS } from '../components/Readiness.jsx';
import { ErrorBox, Loading, RoleGate } from '../components/Status.jsx';
import { ensureRegionNames, regionNames } from '../data.js';
import { fileName } from '../export.js';
import { fmtNumber, REGION_CODE } from '../format.js';
import { useLoader, useTitle } from '../hooks.js';
import { t } from '../i18n.js';
import { navigate, paths, route } from '../router.js';
import { user } from '../session.js';
import { KitLookup } from './operator/KitLookup.jsx';

export function SupervisionPage({ election }) {
  useTitle(t('supervision.title'));
  return (
    <div>
      <h1 tabIndex={-1}>{t('supervision.title')}</h1>
      <RoleGate roles={['bawaslu', 'admin', 'kpu']}>
        <ProblemList election={election} />
        <section class="panel" aria-labelledby="kit-lookup-title">
          <h2 id="kit-lookup-title">{t('kit_lookup.title')}</h2>
          <KitLookup election={election} />
        </section>
        <section class="panel panel-reserved" aria-labelledby="records-title">
          <h2 id="records-title">{t('supervision.records_title')}</h2>
          <p>{t('supervision.records_later')}</p>
        </section>
      </RoleGate>
    </div>
  );
}

function ProblemList({ election }) {
  const scope = user.value?.scope || '';
  const region = route.value.query.get('wilayah') || scope;
  const filter = route.value.query.get('masalah') || '';
  const [regionText, setRegionText] = useState(region);

  const { data, error, loading } = useLoader(async (signal) => {
    const answer = await api.problems(election.id, region, signal);
    // Names of the districts and villages of the TPS listed (a lookup per district, for the first ones).
    const districts = answer.problems.map((p) => p.tps.split('.').slice(0, 3).join('.'));
    await ensureRegionNames([...(region ? [region] : []), ...districts]);
    return answer.problems;
  }, [election.id, region]);

  const setQuery = (changes) => {
    const query = new URLSearchParams(route.value.query);
    for (const [key, value] of Object.entries(changes)) {
      if (value) query.set(key, value);
      else query.delete(key);
    }
    navigate(`${paths.supervision(election.id)}?${query}`, { replace: true });
  };

  const chooseRegion = (event) => {
    event.preventDefault();
    const code = regionText.trim();
    if (code === '' || REGION_CODE.test(code)) setQuery({ wilayah: code === scope ? '' : code });
  };

  const names = regionNames.value;
  const regionLabel = region ? `${names.get(region) || region} (${region})` : 'Indonesia';
  const counts = new Map(PROBLEMS.map((p) => [p, 0]));
  for (const entry of data || []) for (const p of entry.problems) counts.set(p, counts.get(p) + 1);
  const rows = (data || []).filter((entry) => !filter || entry.problems.includes(filter));
  const nameOf = (code) => names.get(code) || '';

  return (
    <section class="panel" aria-labelledby="problem-list-title">
      <h2 id="problem-list-title">{t('supervision.problems_title', { region: regionLabel })}</h2>
      <p class="muted">{t('supervision.intro')}</p>
      <div class="filters">
        <form class="inline-form" onSubmit={chooseRegion}>
          <Field id="supervision-region" label={t('supervision.region')} hint={t('supervision.region_hint', { scope: scope || '–' })}
            value={regionText} onInput={(e) => setRegionText(e.currentTarget.value)} autocapitalize="none" spellcheck={false} />
          <button type="submit">{t('supervision.show')}</button>
        </form>
        <Field id="supervision-filter" label={t('supervision.filter')} as="select" value={filter}
          onChange={(e) => setQuery({ masalah: e.currentTarget.value })}>
          <option value="">{t('supervision.all', { n: fmtNumber((data || []).length) })}</option>
          {PROBLEMS.map((p) => (
            <option key={p} value={p}>{t(`problem.${p}`)} ({fmtNumber(counts.get(p))})</option>
          ))}
        </Field>
      </div>
      {loading && <Loading />}
      {error && <ErrorBox error={error} title={t('supervision.error')} />}
      {data && (
        <DataTable
          id="supervision-table"
          caption={filter
            ? t('supervision.caption_filtered', { problem: t(`problem.${filter}`), region: regionLabel })
            : t('supervision.caption', { region: regionLabel })}
          sheetName={t('supervision.sheet')}
          exportName={fileName('tepat', election.id, region || 'nasional', 'tps-bermasalah', filter)}
          rowKey={(r) => r.tps}
          sort={{ key: 'tps', dir: 'asc' }}
          rows={rows}
          empty={t('supervision.none')}
          columns={[
            { key: 'tps', label: 'TPS', type: 'text', rowHeader: true, value: (r) => r.tps,
              render: (r) => <a href={paths.tps(election.id, r.tps)}>{r.tps}</a> },
            { key: 'district', label: t('level.district'), type: 'text',
              value: (r) => nameOf(r.tps.split('.').slice(0, 3).join('.')) },
            { key: 'village', label: t('level.village'), type: 'text',
              value: (r) => nameOf(r.tps.split('.').slice(0, 4).join('.')) },
            { key: 'problems', label: t('tps.problems'), type: 'text',
              value: (r) => r.problems.map((p) => t(`problem.${p}`)).join(', ') },
            { key: 'count', label: t('supervision.count'), type: 'number', value: (r) => r.problems.length },
          ]}
        />
      )}
    </section>
  );
}
