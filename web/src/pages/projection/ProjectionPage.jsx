// The saved projection of the distribution plan (GET .../projection, made by `tepat simulate --save`) for the nation
// or a region: what it started from, the TPS expected to be late and their spread, the regions below (on the tile
// map at the national level), the TPS most likely to be late with the band of their arrival times, the legs that
// most often make TPS late, and for officers in scope a what-if simulation of the region's plan (WhatIf.jsx). Without
// a saved projection that covers the region, says which region the saved one covers, if any, and how one is made.
import { useEffect } from 'preact/hooks';
import { api, ApiError } from '../../api.js';
import { Breadcrumb } from '../../components/Breadcrumb.jsx';
import { ProvinceMap } from '../../components/ProvinceMap.jsx';
import { runStart } from '../../components/Risk.jsx';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { ensureRegionNames, lookupRegions, regionNames, rememberRegions } from '../../data.js';
import { fmtDateTime, fmtNumber, fmtPercent, fraction, levelOfCode } from '../../format.js';
import { useLoader, useTitle } from '../../hooks.js';
import { t } from '../../i18n.js';
import { paths } from '../../router.js';
import { ChildrenRiskTable, LegsTable, RiskTpsTable } from './tables.jsx';
import { WhatIfPanel } from './WhatIf.jsx';

const CHILD_LEVEL = { national: 'province', province: 'regency', regency: 'district', district: 'village' };
// TPS listed, most likely to be late first.
const TOP = 50;

// Expected late TPS over all TPS: the classes of the map's legend, lowest first.
const RISK_BINS = [0, 0.001, 0.01, 0.025, 0.05];

const binLabel = (min, i) => (i === 0 ? `< ${fmtPercent(RISK_BINS[1])}`
  : i === RISK_BINS.length - 1 ? `≥ ${fmtPercent(min)}` : `${fmtPercent(min)}–${fmtPercent(RISK_BINS[i + 1])}`);

const RISK = {
  bins: () => RISK_BINS.map((min, i) => ({ min, cls: `risk-${i}`, label: binLabel(min, i) })),
  share: (p) => (p.tps > 0 ? p.expected_late / p.tps : null),
  value: (share) => fmtPercent(share, 2),
  tile: (p, share) => (share === null ? t('projection.map_tile_none', { name: p.name })
    : t('projection.map_tile', { name: p.name, pct: fmtPercent(share, 2), late: fmtNumber(p.expected_late),
      tps: fmtNumber(p.tps) })),
  title: () => t('projection.map_title'),
  note: () => t('projection.map_note'),
  legend: () => t('projection.map_legend'),
  none: () => t('projection.map_none'),
};

// The region named for a TPS code is its village; the names of a district's villages come with its lookup.
const named = (code) => code.split('.').slice(0, 4).join('.');
const districtOf = (code) => code.split('.').slice(0, 3).join('.');

export function ProjectionPage({ election, code }) {
  const level = code ? levelOfCode(code) : 'national';
  const { data, error, loading } = useLoader(async (signal) => {
    const [projection, provinces] = await Promise.all([
      api.projection(election.id, code, TOP, signal),
      // The map shows every province, also those the projection does not cover.
      level === 'national' ? api.regions({ level: 'province', limit: 100 }, signal).catch(() => null) : null,
    ]);
    rememberRegions([...projection.path, ...projection.children]);
    return { projection, provinces: provinces?.regions || null };
  }, [election.id, code]);

  // The names of the villages of the TPS and of the places of the legs listed, shown as they arrive.
  useEffect(() => {
    if (!data) return;
    const { tps, legs } = data.projection;
    const places = [...tps.map((r) => r.tps), ...legs.flatMap((l) => [l.leg, l.from])].filter(Boolean).map(named);
    lookupRegions(places.filter((place) => !regionNames.value.has(place)).map(districtOf));
  }, [data]);
  // A region without a projection is still named, and so is the region the saved projection covers.
  useEffect(() => {
    if (error) ensureRegionNames([code, error.facts?.projection_region].filter(Boolean));
  }, [error, code]);

  const name = code ? (data?.projection.path.find((r) => r.code === code)?.name || regionNames.value.get(code) || code)
    : null;
  const title = code ? t('projection.title', { region: name }) : t('projection.title_nation');
  useTitle(title);

  if (loading) return <Loading />;
  if (error) {
    return (
      <>
        <h1 tabIndex={-1}>{title}</h1>
        {error instanceof ApiError && error.status === 404
          ? <NoProjection election={election} region={name || t('projection.nation')} error={error} />
          : <ErrorBox error={error} title={t('projection.error')} />}
      </>
    );
  }
  const { projection, provinces } = data;
  const { run, region, children } = projection;
  const childLevel = CHILD_LEVEL[level];
  const regionName = name || 'Indonesia';
  return (
    <div class="page-projection" data-projection={region.code}>
      <Breadcrumb election={election.id} trail={projection.path.filter((r) => r.code !== code)}
        current={code ? name : null} href={paths.projection} />
      <div class="page-heading">
        <h1 tabIndex={-1}>{title}</h1>
        <p class="subtitle">
          {t(`level.${level}`)}{code ? ` · ${code}` : ''} · {election.name} ·{' '}
          <a href={paths.region(election.id, code)}>{t('projection.see_readiness')}</a>
        </p>
      </div>
      <div class="two-columns">
        <RunPanel run={run} />
        <ExpectedPanel region={region} />
      </div>
      {level === 'national' && (
        <ProvinceMap election={election.id} provinces={provinceTiles(provinces, children)} measure={RISK}
          href={paths.projection} />
      )}
      {childLevel && (
        <section class="panel" aria-labelledby="projection-below-title">
          <h2 id="projection-below-title">{t('dashboard.below', { level: t(`level.${childLevel}`) })}</h2>
          <ChildrenRiskTable election={election.id} region={region} regionName={regionName} children={children}
            childLevel={childLevel} />
        </section>
      )}
      <section class="panel" aria-labelledby="projection-tps-title">
        <h2 id="projection-tps-title">{t('projection.tps_title')}</h2>
        <p class="muted">{t('projection.tps_note', { n: fmtNumber(TOP) })}</p>
        <RiskTpsTable election={election.id} region={region} regionName={regionName} tps={projection.tps} />
      </section>
      <section class="panel" aria-labelledby="projection-legs-title">
        <h2 id="projection-legs-title">{t('projection.legs_title')}</h2>
        <p class="muted">{t('projection.legs_note')}</p>
        <LegsTable election={election.id} region={region} regionName={regionName} legs={projection.legs} />
      </section>
      <WhatIfPanel election={election} code={code} regionName={regionName} />
    </div>
  );
}

// Every province on the map, with the projection's figures where it covers one.
function provinceTiles(provinces, children) {
  if (!provinces) return children;
  const risk = new Map(children.map((c) => [c.code, c]));
  return provinces.map((p) => risk.get(p.code) || { code: p.code, name: p.name, tps: 0, expected_late: 0 });
}

// How the projection was made: scenarios, seed, where it started, when it was computed, what it covers.
function RunPanel({ run }) {
  const scope = run.region ? `${regionNames.value.get(run.region) || run.region} (${run.region})` : t('level.national');
  return (
    <section class="panel" aria-labelledby="projection-run-title">
      <h2 id="projection-run-title">{t('projection.run_title')}</h2>
      <p class="muted small">{t('projection.intro')}</p>
      <dl class="facts" id="projection-run">
        <div><dt>{t('projection.scenarios')}</dt><dd id="projection-scenarios">{fmtNumber(run.scenarios)}</dd></div>
        <div><dt>{t('projection.seed')}</dt><dd id="projection-seed">{run.seed}</dd></div>
        <div><dt>{t('projection.start')}</dt><dd id="projection-start">{runStart(run)}</dd></div>
        <div><dt>{t('projection.computed')}</dt><dd>{fmtDateTime(run.computed_at)}</dd></div>
        <div><dt>{t('projection.scope')}</dt><dd>{scope}</dd></div>
      </dl>
    </section>
  );
}

// The TPS expected to be late, ± their standard deviation over the scenarios, and the share of all TPS.
function ExpectedPanel({ region }) {
  const share = fraction(region.expected_late, region.tps);
  return (
    <section class="panel" aria-labelledby="projection-expected-title">
      <h2 id="projection-expected-title">{t('projection.expected_title')}</h2>
      <ul class="stat-cards">
        <li class="stat-card stat-tps">
          <span class="stat-label">{t('states.total')}</span>
          <span class="stat-value" id="projection-tps">{fmtNumber(region.tps)}</span>
        </li>
        <li class="stat-card stat-late">
          <span class="stat-label">{t('projection.expected_late')}</span>
          <span class="stat-value" id="projection-expected">{fmtNumber(region.expected_late)}</span>
          <span class="stat-share" id="projection-sd">
            {t('projection.plus_minus', { sd: fmtNumber(region.sd_late) })}
          </span>
        </li>
        <li class="stat-card stat-late">
          <span class="stat-label">{t('projection.share_late')}</span>
          <span class="stat-value" id="projection-share">{fmtPercent(share, 2)}</span>
        </li>
      </ul>
      <p class="muted small">{t('projection.expected_note')}</p>
    </section>
  );
}

// No saved projection covers the region (404): what that means, the region the saved projection covers when there
// is one (a link to it), and how an officer saves one.
function NoProjection({ election, region, error }) {
  const covered = error.facts.projection_region;
  const coveredName = covered && (regionNames.value.get(covered) || covered);
  return (
    <div class="notice" id="projection-none">
      <p><strong>{t('projection.none_title')}</strong> {t('projection.none', { region })}</p>
      {typeof covered === 'string' && (
        <p id="projection-saved">
          {t('projection.saved', { region: covered ? coveredName : t('projection.nation') })}{' '}
          <a href={paths.projection(election.id, covered)}>
            {covered ? t('projection.title', { region: coveredName }) : t('projection.title_nation')}
          </a>
        </p>
      )}
      <p>{t('projection.none_how')}</p>
      <pre class="command"><code>tepat simulate --election {election.id} --save</code></pre>
      <p class="server-message" lang="en">{error.message}</p>
    </div>
  );
}
