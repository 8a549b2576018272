// The projection's tables: the regions below with their expected late TPS, the TPS most at risk with the band of
// their arrival times, and the legs that most often make TPS late.
import { DataTable } from '../../components/DataTable.jsx';
import { ArrivalBand, BandLegend, bandDomain, intervalText } from '../../components/Risk.jsx';
import { regionNames } from '../../data.js';
import { fileName } from '../../export.js';
import { fmtDateTime, fmtPercent, fraction, TPS_CODE } from '../../format.js';
import { t } from '../../i18n.js';
import { paths } from '../../router.js';

const MODES = ['ready', 'truck', 'car', 'motorbike', 'boat', 'speedboat', 'aircraft', 'helicopter', 'foot'];
const modeLabel = (mode) => (MODES.includes(mode) ? t(`mode.${mode}`) : mode);

const base = (election, region) => fileName('tepat', election, region.code || 'nasional', 'proyeksi');
const villageOf = (code) => code.split('.').slice(0, 4).join('.');
const time = (iso) => Date.parse(iso);

// The regions directly below, riskiest first; each leads to its own projection.
export function ChildrenRiskTable({ election, region, regionName, children, childLevel }) {
  return (
    <DataTable
      id="projection-children-table"
      caption={t('projection.children_caption', { level: t(`level.${childLevel}`), region: regionName })}
      sheetName={t(`level.${childLevel}`)}
      exportName={`${base(election, region)}-${childLevel}`}
      rowKey={(r) => r.code}
      sort={{ key: 'expected', dir: 'desc' }}
      rows={children}
      empty={t('projection.children_none')}
      columns={[
        { key: 'code', label: t('table.code'), type: 'text', value: (r) => r.code },
        { key: 'name', label: t(`level.${childLevel}`), type: 'text', rowHeader: true, value: (r) => r.name,
          render: (r) => <a href={paths.projection(election, r.code)}>{r.name}</a> },
        { key: 'tps', label: 'TPS', type: 'number', value: (r) => r.tps },
        { key: 'expected', label: t('projection.expected_late'), type: 'number', value: (r) => r.expected_late },
        { key: 'sd', label: t('projection.sd'), type: 'number', value: (r) => r.sd_late },
        { key: 'share', label: t('projection.share_late'), type: 'percent',
          value: (r) => fraction(r.expected_late, r.tps),
          render: (r) => fmtPercent(fraction(r.expected_late, r.tps), 2) },
      ]}
      rowClass={(r) => (r.expected_late === 0 ? 'row-quiet' : undefined)}
    />
  );
}

// The TPS most likely to be late, in the projection's order: the chance and its 95% interval, the expected lateness,
// the median arrival and the band of arrival times against the deadline (the times themselves in the downloads).
export function RiskTpsTable({ election, region, regionName, tps }) {
  const names = regionNames.value;
  const rows = tps.map((risk, i) => ({ ...risk, rank: i + 1 }));
  const domain = bandDomain(rows);
  return (
    <>
      <DataTable
        id="projection-tps-table"
        caption={t('projection.tps_caption', { region: regionName })}
        sheetName={t('projection.tps_sheet')}
        exportName={`${base(election, region)}-tps`}
        rowKey={(r) => r.tps}
        sort={{ key: 'rank', dir: 'asc' }}
        rows={rows}
        empty={t('projection.tps_none')}
        columns={[
          { key: 'rank', label: t('projection.rank'), type: 'number', value: (r) => r.rank },
          { key: 'tps', label: 'TPS', type: 'text', rowHeader: true, value: (r) => r.tps,
            render: (r) => <a href={paths.tps(election, r.tps)}>{r.tps}</a> },
          { key: 'village', label: t('level.village'), type: 'text',
            value: (r) => names.get(villageOf(r.tps)) || null },
          { key: 'p_late', label: t('risk.p_late'), type: 'percent', value: (r) => r.p_late,
            render: (r) => (
              <>
                {fmtPercent(r.p_late)}
                <span class="cell-note">{t('risk.interval_text', { interval: intervalText(r) })}</span>
              </>
            ) },
          { key: 'p_low', label: t('projection.p_low'), type: 'percent', screen: false,
            value: (r) => r.p_late_95[0] },
          { key: 'p_high', label: t('projection.p_high'), type: 'percent', screen: false,
            value: (r) => r.p_late_95[1] },
          { key: 'hours', label: t('risk.lateness_hours'), type: 'number', value: (r) => r.expected_lateness_hours },
          { key: 'p05', label: t('projection.arrival_p05'), type: 'text', screen: false, value: (r) => r.arrival_p05 },
          { key: 'p50', label: t('projection.arrival_p50'), type: 'text', value: (r) => r.arrival_p50,
            sortValue: (r) => time(r.arrival_p50), render: (r) => fmtDateTime(r.arrival_p50) },
          { key: 'p95', label: t('projection.arrival_p95'), type: 'text', screen: false, value: (r) => r.arrival_p95 },
          { key: 'deadline', label: t('tps.deadline'), type: 'text', screen: false, value: (r) => r.deadline },
          { key: 'band', label: t('risk.band'), type: 'text', exported: false, value: (r) => r.arrival_p95,
            sortValue: (r) => time(r.arrival_p95), render: (r) => <ArrivalBand risk={r} domain={domain} /> },
        ]}
      />
      <BandLegend />
    </>
  );
}

// A TPS or region code with its name, when known, below it; a TPS leads to its page.
function Place({ election, code }) {
  const names = regionNames.value;
  if (TPS_CODE.test(code)) {
    const village = names.get(villageOf(code));
    return (
      <>
        <a href={paths.tps(election, code)}>{code}</a>
        {village && <span class="cell-note">{`TPS ${code.slice(-3)} ${village}`}</span>}
      </>
    );
  }
  const name = names.get(code);
  return <>{code}{name && <span class="cell-note">{name}</span>}</>;
}

// The legs blamed most: for each TPS late in a scenario, the leg with the largest delay on its way. A regency's
// first leg (mode `ready`, the kits ready at its warehouse) comes from no node: the vendor.
export function LegsTable({ election, region, regionName, legs }) {
  return (
    <DataTable
      id="projection-legs-table"
      caption={t('projection.legs_caption', { region: regionName })}
      sheetName={t('projection.legs_sheet')}
      exportName={`${base(election, region)}-ruas`}
      rowKey={(r) => `${r.from}>${r.leg}>${r.mode}`}
      sort={{ key: 'late_tps', dir: 'desc' }}
      rows={legs}
      empty={t('projection.legs_none')}
      columns={[
        { key: 'leg', label: t('projection.leg'), type: 'text', rowHeader: true, value: (r) => r.leg,
          render: (r) => <Place election={election} code={r.leg} /> },
        { key: 'from', label: t('projection.from'), type: 'text', value: (r) => r.from || t('projection.vendor'),
          render: (r) => (r.from ? <Place election={election} code={r.from} /> : t('projection.vendor')) },
        { key: 'mode', label: t('projection.mode'), type: 'text', value: (r) => modeLabel(r.mode) },
        { key: 'late_tps', label: t('projection.late_tps'), type: 'number', value: (r) => r.late_tps },
      ]}
    />
  );
}
