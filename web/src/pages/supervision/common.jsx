// Parts shared by the supervision pages: the enumerations of the API, a finding's state and lateness as badges, the
// names of the places supervision records name, and the table of findings.
import { ApiError } from '../../api.js';
import { DataTable } from '../../components/DataTable.jsx';
import { Field } from '../../components/Field.jsx';
import { ensureRegionNames, regionNames } from '../../data.js';
import { problemsOf } from '../../documents.js';
import { fmtDateTime, fmtNumber, nodeLabel, TPS_CODE } from '../../format.js';
import { t } from '../../i18n.js';
import { paths } from '../../router.js';

export const STAGES = ['procurement', 'production', 'receipt', 'sortir_lipat', 'packing', 'storage', 'distribution',
  'tps_h1', 'return'];
export const DISCREPANCIES = ['count_mismatch', 'variant_mismatch', 'seal_broken', 'not_received'];
export const FINDING_STATES = ['draft', 'registered', 'recommended', 'answered', 'followed_up', 'closed', 'escalated'];
// Registered and not yet closed or escalated: still to be acted on.
export const OPEN_STATES = ['registered', 'recommended', 'answered', 'followed_up'];
export const CATEGORIES = ['shortage', 'excess', 'swapped_ballots', 'damage', 'late', 'unsealed', 'wrong_destination',
  'storage_security', 'procedure'];
export const SEVERITIES = ['low', 'medium', 'high'];

// The region (or TPS) whose names a list needs: a TPS's district lists its village, a region's parent lists it.
function namingRegion(code) {
  const parts = code.split('.');
  if (TPS_CODE.test(code)) return parts.slice(0, 3).join('.');
  return parts.length > 1 ? parts.slice(0, -1).join('.') : code;
}

export const ensurePlaceNames = (codes) =>
  ensureRegionNames([...new Set(codes.filter(Boolean).map((code) => namingRegion(code.replace(/^\w+:/, ''))))]);

// A region or TPS code, or a node, as people read it: "TPS 001 Karang Pilang", "Kota Surabaya", "KPU Kota Surabaya".
export function placeName(code, names = regionNames.value) {
  if (!code) return '';
  if (code.includes(':')) return nodeLabel(code, names);
  if (TPS_CODE.test(code)) {
    const village = names.get(code.split('.').slice(0, 4).join('.'));
    return `TPS ${code.slice(-3)}${village ? ` ${village}` : ''}`;
  }
  return names.get(code) || '';
}

// A link to the page of a region or TPS code (a node's code goes to its region or TPS).
export function PlaceLink({ election, code }) {
  if (!code) return '–';
  const bare = code.replace(/^(kpps|pps|ppk|kpu):/, '');
  const href = TPS_CODE.test(bare) ? paths.tps(election, bare) : /^\d/.test(bare) ? paths.region(election, bare) : null;
  const name = placeName(code);
  return (
    <>
      {href ? <a href={href}>{code}</a> : <code>{code}</code>}
      {name && <span class="cell-note">{name}</span>}
    </>
  );
}

export function FindingState({ state }) {
  return <span class={`badge badge-finding-${state}`}>{t(`finding_state.${state}`)}</span>;
}

export function Overdue({ finding }) {
  return finding.overdue ? <span class="badge badge-overdue">{t('finding.overdue')}</span> : null;
}

// The problems of a refused step or finding, by field. The steps' refusals name their field in the message
// ("due: expected a time with its offset") rather than in details.
export function refusalProblems(error, fields) {
  if (error instanceof ApiError && !error.details.length) {
    const match = /^([a-z_]+): (.*)$/s.exec(error.message);
    if (match && fields.includes(match[1])) return [{ field: match[1], reason: match[2] }];
  }
  return problemsOf(error);
}

// The state filter of a list of findings, with the count of each state.
export function StateFilter({ id, findings, value, onChange }) {
  const count = (state) => findings.filter((f) => f.state === state).length;
  const open = findings.filter((f) => OPEN_STATES.includes(f.state)).length;
  const overdue = findings.filter((f) => f.overdue).length;
  return (
    <Field id={id} label={t('findings.filter')} as="select" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value="">{t('findings.all', { n: fmtNumber(findings.length) })}</option>
      <option value="open">{t('findings.open', { n: fmtNumber(open) })}</option>
      <option value="overdue">{t('findings.overdue', { n: fmtNumber(overdue) })}</option>
      {FINDING_STATES.map((s) => (
        <option key={s} value={s}>{t(`finding_state.${s}`)} ({fmtNumber(count(s))})</option>
      ))}
    </Field>
  );
}

export const matchesFilter = (finding, filter) => !filter
  || (filter === 'open' ? OPEN_STATES.includes(finding.state)
    : filter === 'overdue' ? finding.overdue
    : finding.state === filter);

export function FindingsTable({ election, id, findings, caption, exportName, empty }) {
  return (
    <DataTable
      id={id}
      caption={caption}
      sheetName={t('findings.sheet')}
      exportName={exportName}
      rowKey={(f) => f.id}
      sort={{ key: 'number', dir: 'desc' }}
      rows={findings}
      empty={empty}
      rowClass={(f) => (f.overdue ? 'row-attention' : undefined)}
      columns={[
        { key: 'number', label: t('finding.number'), type: 'text', rowHeader: true, value: (f) => f.number,
          sortValue: (f) => f.created_at, render: (f) => <a href={paths.finding(election, f.id)}>{f.number}</a> },
        { key: 'state', label: t('finding.state'), type: 'text', value: (f) => t(`finding_state.${f.state}`),
          render: (f) => <FindingState state={f.state} /> },
        { key: 'overdue', label: t('finding.overdue_column'), type: 'text',
          value: (f) => (f.overdue ? t('finding.overdue') : ''), render: (f) => <Overdue finding={f} /> },
        { key: 'due', label: t('finding.due'), type: 'text', value: (f) => f.recommendation?.due,
          render: (f) => fmtDateTime(f.recommendation?.due) },
        { key: 'to', label: t('finding.to'), type: 'text', value: (f) => f.recommendation?.to,
          render: (f) => (f.recommendation ? nodeLabel(f.recommendation.to, regionNames.value) : '–') },
        { key: 'category', label: t('finding.category'), type: 'text', value: (f) => t(`category.${f.category}`) },
        { key: 'severity', label: t('finding.severity'), type: 'text', value: (f) => t(`severity.${f.severity}`),
          sortValue: (f) => SEVERITIES.indexOf(f.severity) },
        { key: 'region', label: t('finding.region'), type: 'text', value: (f) => f.region || f.node,
          render: (f) => <PlaceLink election={election} code={f.region || f.node} /> },
        { key: 'title', label: t('finding.title_field'), type: 'text', value: (f) => f.title },
      ]}
    />
  );
}
