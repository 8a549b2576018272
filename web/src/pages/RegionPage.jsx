// The public dashboard of one region, or of the nation (code ""): readiness, the regions or TPS below, live.
import { api } from '../api.js';
import { Breadcrumb } from '../components/Breadcrumb.jsx';
import { ClockPanel } from '../components/ClockPanel.jsx';
import { ProvinceMap } from '../components/ProvinceMap.jsx';
import {
  ChildrenTable, ItemsTable, ProblemsTable, ScoreTable, StateSummary, TpsTable,
} from '../components/Readiness.jsx';
import { ErrorBox, Loading } from '../components/Status.jsx';
import { rememberRegions } from '../data.js';
import { levelOfCode } from '../format.js';
import { useLoader, useTitle } from '../hooks.js';
import { t } from '../i18n.js';
import { useLive } from '../live.js';

const CHILD_LEVEL = { national: 'province', province: 'regency', regency: 'district', district: 'village' };

export function RegionPage({ election, code }) {
  const level = code ? levelOfCode(code) : 'national';
  const { data, error, loading, reload } = useLoader(async (signal) => {
    const [readiness, tps] = await Promise.all([
      api.readiness(election.id, code, signal),
      level === 'village' ? api.tpsList(election.id, code, signal) : null,
    ]);
    rememberRegions([readiness.region, ...readiness.children, ...(readiness.path || [])]);
    return { readiness, tps: tps?.tps || null };
  }, [election.id, code]);

  useLive(election.id, error ? null : code, reload, data?.readiness.region ?? null);
  const region = data?.readiness.region;
  useTitle(region ? (code ? region.name : t('dashboard.title_nation')) : null);

  if (loading) return <Loading />;
  if (error) {
    return (
      <>
        <h1 tabIndex={-1}>{code || 'Indonesia'}</h1>
        <ErrorBox error={error} title={t('dashboard.error')} />
      </>
    );
  }
  const { readiness, tps } = data;
  const childLevel = CHILD_LEVEL[region.level];
  return (
    <div class="page-region" data-region={region.code}>
      <Breadcrumb election={election.id} trail={code ? readiness.path || [] : []} current={code ? region.name : null} />
      <div class="page-heading">
        <h1 tabIndex={-1}>{code ? region.name : t('dashboard.title_nation')}</h1>
        <p class="subtitle">
          {t(`level.${region.level}`)}{code ? ` · ${code}` : ''} · {election.name}
        </p>
      </div>
      <ClockPanel election={election} at={readiness.at} />
      {region.tps === 0 && <p class="notice">{t('dashboard.no_tps')}</p>}
      <div class="two-columns">
        <StateSummary region={region} />
        <section class="panel" aria-labelledby="score-title">
          <h2 id="score-title">{t('score.title')}</h2>
          <p class="muted small">{t('score.note')}</p>
          <ScoreTable election={election.id} region={region} />
        </section>
      </div>
      {region.level === 'national' && <ProvinceMap election={election.id} provinces={readiness.children} />}
      <section class="panel" aria-labelledby="below-title">
        <h2 id="below-title">
          {childLevel ? t('dashboard.below', { level: t(`level.${childLevel}`) }) : t('dashboard.tps_list')}
        </h2>
        {childLevel && (
          <ChildrenTable election={election.id} region={region} children={readiness.children} childLevel={childLevel} />
        )}
        {!childLevel && tps && <TpsTable election={election.id} region={region} tps={tps} />}
      </section>
      <section class="panel" aria-labelledby="problems-title">
        <h2 id="problems-title">{t('problems.title')}</h2>
        <ProblemsTable election={election.id} region={region} />
      </section>
      <section class="panel" aria-labelledby="items-title">
        <h2 id="items-title">{t('items.title')}</h2>
        <ItemsTable election={election.id} region={region} />
      </section>
    </div>
  );
}
