// The parts of a region's readiness (docs/api.md, GET .../readiness): delivery states, problems, the tepat
// scorecard, progress per item, and the tables of the regions or TPS below it.
import { itemNames } from '../data.js';
import { fileName } from '../export.js';
import { fmtDateTime, fmtNumber, fmtPercent, fraction, itemLabel } from '../format.js';
import { t } from '../i18n.js';
import { paths } from '../router.js';
import { StateBar } from './Bar.jsx';
import { DataTable } from './DataTable.jsx';

export const STATES = ['complete', 'in_transit', 'not_delivered'];
export const PROBLEMS = ['not_delivered', 'short', 'excess', 'wrong_variant', 'misrouted', 'damaged', 'unsealed', 'late'];
const PRINCIPLES = ['jumlah', 'jenis', 'sasaran', 'waktu', 'kualitas'];

// TPS per delivery state: the figures and a stacked bar.
export function StateSummary({ region }) {
  const cards = [
    { key: 'tps', value: region.tps, share: null },
    ...STATES.map((s) => ({ key: s, value: region.states[s], share: fraction(region.states[s], region.tps) })),
  ];
  return (
    <section class="panel" aria-labelledby="states-title">
      <h2 id="states-title">{t('states.title')}</h2>
      <ul class="stat-cards">
        {cards.map((c) => (
          <li key={c.key} class={`stat-card stat-${c.key}`}>
            <span class="stat-label">{c.key === 'tps' ? t('states.total') : t(`state.${c.key}`)}</span>
            <span class="stat-value" id={`stat-${c.key}`} data-value={c.value}>{fmtNumber(c.value)}</span>
            {c.share !== null && <span class="stat-share">{fmtPercent(c.share)}</span>}
          </li>
        ))}
      </ul>
      <StateBar states={region.states} tps={region.tps} />
    </section>
  );
}

const base = (election, region) => fileName('tepat', election, region.code || 'nasional');

export function ProblemsTable({ election, region }) {
  const rows = PROBLEMS.map((p) => ({ problem: p, count: region.problems[p] }));
  return (
    <DataTable
      id="problems-table"
      caption={t('problems.caption')}
      exportName={`${base(election, region)}-masalah`}
      rowKey={(r) => r.problem}
      sort={{ key: 'count', dir: 'desc' }}
      rows={rows}
      columns={[
        { key: 'label', label: t('problems.problem'), type: 'text', rowHeader: true, value: (r) => t(`problem.${r.problem}`) },
        { key: 'meaning', label: t('problems.meaning'), type: 'text', sortable: false, value: (r) => t(`problem_desc.${r.problem}`) },
        { key: 'count', label: t('problems.tps'), type: 'number', value: (r) => r.count },
        { key: 'share', label: t('problems.share'), type: 'percent', value: (r) => fraction(r.count, region.tps) },
      ]}
    />
  );
}

export function ScoreTable({ election, region }) {
  const rows = PRINCIPLES.map((p) => ({ principle: p, count: region.right[p] }));
  return (
    <DataTable
      id="score-table"
      caption={t('score.caption')}
      exportName={`${base(election, region)}-skor-tepat`}
      rowKey={(r) => r.principle}
      sort={{ key: 'order', dir: 'asc' }}
      rows={rows}
      columns={[
        { key: 'order', label: t('score.principle'), type: 'text', rowHeader: true,
          value: (r) => t(`principle.${r.principle}`), sortValue: (r) => PRINCIPLES.indexOf(r.principle) },
        { key: 'count', label: t('score.tps'), type: 'number', value: (r) => r.count },
        { key: 'share', label: t('score.share'), type: 'percent', bar: true, value: (r) => fraction(r.count, region.tps) },
      ]}
    />
  );
}

export function ItemsTable({ election, region }) {
  const names = itemNames.value;
  return (
    <DataTable
      id="items-table"
      caption={t('items.caption')}
      exportName={`${base(election, region)}-barang`}
      rowKey={(r) => r.item}
      sort={{ key: 'order', dir: 'asc' }}
      rows={region.items.map((line, order) => ({ ...line, order }))}
      empty={t('items.none')}
      columns={[
        { key: 'name', label: t('items.item'), type: 'text', rowHeader: true, value: (r) => itemLabel(r.item, names) },
        { key: 'order', label: t('items.code'), type: 'text', value: (r) => r.item, sortValue: (r) => r.order },
        { key: 'need', label: t('items.need'), type: 'number', value: (r) => r.need },
        { key: 'received', label: t('items.received'), type: 'number', value: (r) => r.received },
        { key: 'share', label: t('items.progress'), type: 'percent', bar: true, value: (r) => fraction(r.received, r.need) },
      ]}
    />
  );
}

// The regions directly below: one row each, linking one level down.
export function ChildrenTable({ election, region, children, childLevel }) {
  const columns = [
    { key: 'code', label: t('table.code'), type: 'text', value: (r) => r.code },
    { key: 'name', label: t(`level.${childLevel}`), type: 'text', rowHeader: true, value: (r) => r.name,
      render: (r) => <a href={paths.region(election, r.code)}>{r.name}</a> },
    { key: 'tps', label: 'TPS', type: 'number', value: (r) => r.tps },
    ...STATES.map((s) => ({ key: s, label: t(`state.${s}`), type: 'number', value: (r) => r.states[s] })),
    { key: 'share', label: t('children.share_complete'), type: 'percent', bar: true,
      value: (r) => fraction(r.states.complete, r.tps) },
    ...PROBLEMS.map((p) => ({ key: `p-${p}`, label: t(`problem.${p}`), type: 'number', value: (r) => r.problems[p] })),
  ];
  return (
    <DataTable
      id="children-table"
      caption={t('children.caption', { level: t(`level.${childLevel}`), region: region.name })}
      sheetName={t(`level.${childLevel}`)}
      exportName={`${base(election, region)}-${childLevel}`}
      rowKey={(r) => r.code}
      sort={{ key: 'code', dir: 'asc' }}
      rows={children}
      columns={columns}
      rowClass={(r) => (r.tps === 0 ? 'row-quiet' : undefined)}
    />
  );
}

// The TPS of a village (GET .../tps?region=), with their chance of being late when a saved projection covers them.
export function TpsTable({ election, region, tps }) {
  const projected = tps.some((r) => r.p_late !== null && r.p_late !== undefined);
  const noteId = 'tps-table-p-late-note';
  const columns = [
    { key: 'tps', label: 'TPS', type: 'text', rowHeader: true, value: (r) => r.tps,
      render: (r) => <a href={paths.tps(election, r.tps)}>{`TPS ${r.tps.slice(-3)}`}</a> },
    { key: 'state', label: t('tps.state'), type: 'text', value: (r) => t(`state.${r.state}`),
      render: (r) => <span class={`badge badge-${r.state}`}>{t(`state.${r.state}`)}</span> },
    { key: 'need', label: t('items.need'), type: 'number', value: (r) => r.need },
    { key: 'received', label: t('items.received'), type: 'number', value: (r) => r.received },
    { key: 'share', label: t('items.progress'), type: 'percent', bar: true, value: (r) => fraction(r.received, r.need) },
    { key: 'problems', label: t('tps.problems'), type: 'text',
      value: (r) => r.problems.map((p) => t(`problem.${p}`)).join(', ') || null },
    { key: 'deadline', label: t('tps.deadline'), type: 'text', value: (r) => r.deadline,
      render: (r) => fmtDateTime(r.deadline) },
    ...(projected ? [{ key: 'p_late', label: t('tps.p_late'), type: 'percent', value: (r) => r.p_late ?? null,
      describedBy: noteId }] : []),
  ];
  return (
    <>
      {projected && (
        <p class="muted small" id={noteId}>
          {t('tps.p_late_note')}{' '}
          <a href={paths.projection(election, region.code)}>{t('risk.see_projection', { region: region.name })}</a>
        </p>
      )}
      <DataTable
        id="tps-table"
        caption={t('tps.caption', { region: region.name })}
        sheetName="TPS"
        exportName={`${base(election, region)}-tps`}
        rowKey={(r) => r.tps}
        sort={{ key: 'tps', dir: 'asc' }}
        rows={tps}
        columns={columns}
        rowClass={(r) => (r.problems.length ? 'row-attention' : undefined)}
      />
    </>
  );
}
