// The Bawaslu supervisor's page, in tabs: the TPS with problems in scope (filterable by problem, each linking to its
// TPS page) and a kit by its label; the supervisors' own records: reports (LHP / Form A), the discrepancies they show
// against the ledger, and findings. The records' tabs are loaded when first opened (pages/supervision/).
import { api } from '../api.js';
import { DataTable } from '../components/DataTable.jsx';
import { Field } from '../components/Field.jsx';
import { PROBLEMS } from '../components/Readiness.jsx';
import { RegionChooser, useRegion } from '../components/RegionChooser.jsx';
import { ErrorBox, Loading, RoleGate } from '../components/Status.jsx';
import { ensureRegionNames, regionNames } from '../data.js';
import { fileName } from '../export.js';
import { fmtNumber } from '../format.js';
import { useLoader, useTitle } from '../hooks.js';
import { t } from '../i18n.js';
import { lazy } from '../lazy.jsx';
import { paths, route, updateQuery } from '../router.js';
import { user } from '../session.js';
import { KitLookup } from './operator/KitLookup.jsx';

const load = () => import('./supervision/index.js');
const ReportsTab = lazy(load, 'ReportsTab');
const DiscrepanciesTab = lazy(load, 'DiscrepanciesTab');
const FindingsTab = lazy(load, 'FindingsTab');

// The tabs, by the `bagian` of the query; the first is the default.
const SECTIONS = ['tps', 'laporan', 'ketidaksesuaian', 'temuan'];

export function SupervisionPage({ election }) {
  useTitle(t('supervision.title'));
  return (
    <div>
      <h1 tabIndex={-1}>{t('supervision.title')}</h1>
      <RoleGate roles={['bawaslu', 'admin', 'kpu']}>
        <Sections election={election} />
      </RoleGate>
    </div>
  );
}

function Sections({ election }) {
  // KPU officers read the TPS with problems here; what Bawaslu addresses to them is on the operators' page.
  const sections = user.value?.role === 'kpu' ? SECTIONS.slice(0, 1) : SECTIONS;
  const requested = route.value.query.get('bagian');
  const section = sections.includes(requested) ? requested : sections[0];
  // The region chosen stays when changing tab.
  const wilayah = route.value.query.get('wilayah');
  const href = (name) => {
    const query = new URLSearchParams();
    if (name !== sections[0]) query.set('bagian', name);
    if (wilayah) query.set('wilayah', wilayah);
    const text = query.toString();
    return `${paths.supervision(election.id)}${text ? `?${text}` : ''}`;
  };
  return (
    <>
      {sections.length > 1 && (
        <nav class="tabs" aria-label={t('supervision.sections')}>
          <ul>
            {sections.map((name) => (
              <li key={name}>
                <a href={href(name)} aria-current={section === name ? 'page' : undefined}>{t(`supervision_tab.${name}`)}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {section === 'tps' && (
        <>
          <ProblemList election={election} />
          <section class="panel" aria-labelledby="kit-lookup-title">
            <h2 id="kit-lookup-title">{t('kit_lookup.title')}</h2>
            <KitLookup election={election} />
          </section>
        </>
      )}
      {section === 'laporan' && <ReportsTab election={election} />}
      {section === 'ketidaksesuaian' && <DiscrepanciesTab election={election} />}
      {section === 'temuan' && <FindingsTab election={election} />}
    </>
  );
}

function ProblemList({ election }) {
  const { scope, region, label: regionLabel } = useRegion();
  const filter = route.value.query.get('masalah') || '';

  const { data, error, loading } = useLoader(async (signal) => {
    const answer = await api.problems(election.id, region, signal);
    // Names of the districts and villages of the TPS listed (a lookup per district, for the first ones).
    const districts = answer.problems.map((p) => p.tps.split('.').slice(0, 3).join('.'));
    await ensureRegionNames([...(region ? [region] : []), ...districts]);
    return answer.problems;
  }, [election.id, region]);

  const names = regionNames.value;
  const counts = new Map(PROBLEMS.map((p) => [p, 0]));
  for (const entry of data || []) for (const p of entry.problems) counts.set(p, counts.get(p) + 1);
  const rows = (data || []).filter((entry) => !filter || entry.problems.includes(filter));
  const nameOf = (code) => names.get(code) || '';

  return (
    <section class="panel" aria-labelledby="problem-list-title">
      <h2 id="problem-list-title">{t('supervision.problems_title', { region: regionLabel })}</h2>
      <p class="muted">{t('supervision.intro')}</p>
      <div class="filters">
        <RegionChooser id="supervision-region" region={region} scope={scope} />
        <Field id="supervision-filter" label={t('supervision.filter')} as="select" value={filter}
          onChange={(e) => updateQuery({ masalah: e.currentTarget.value })}>
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
