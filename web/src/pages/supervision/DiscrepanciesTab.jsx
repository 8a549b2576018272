// The discrepancies between what supervisors saw and what KPU's ledger records (GET .../discrepancies), each with
// the finding raised from it, or a button that raises one, registered (POST .../findings {from_discrepancy}).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { DataTable } from '../../components/DataTable.jsx';
import { RegionChooser, useRegion } from '../../components/RegionChooser.jsx';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { itemNames } from '../../data.js';
import { problemsOf } from '../../documents.js';
import { fileName } from '../../export.js';
import { fmtNumber, itemLabel, TPS_CODE } from '../../format.js';
import { useLoader } from '../../hooks.js';
import { t } from '../../i18n.js';
import { paths } from '../../router.js';
import { DISCREPANCIES, ensurePlaceNames, PlaceLink } from './common.jsx';

// The categories a finding raised from each kind of discrepancy gets (oversight/finding.cc, FindingOf).
const CATEGORY_OF = {
  count_mismatch: ['shortage', 'excess'], variant_mismatch: ['swapped_ballots'], seal_broken: ['unsealed'],
  not_received: ['shortage'],
};
const KIT_KINDS = ['seal_broken', 'not_received'];

const keyOf = (d) => `${d.report}|${d.tps_code}|${d.discrepancy}|${d.subject}`;

// The finding already raised from a discrepancy: one citing its report, of its category, about its subject. The API
// does not link them, so this is how the list knows.
const raisedFrom = (d, findings) => findings.find((f) => (f.evidence || []).includes(`report:${d.report}`)
  && CATEGORY_OF[d.discrepancy].includes(f.category) && f.title.includes(d.subject));

export function DiscrepanciesTab({ election }) {
  const { scope, region, label } = useRegion();
  const [raised, setRaised] = useState(null); // {finding} | {error, discrepancy}
  const [busy, setBusy] = useState(null);
  const { data, error, loading, reload } = useLoader(async (signal) => {
    const [found, findings] = await Promise.all([
      api.discrepancies(election.id, region, signal),
      api.findings(election.id, region, signal),
    ]);
    await ensurePlaceNames([region, ...found.discrepancies.map((d) => d.tps_code)]);
    return { discrepancies: found.discrepancies, findings: findings.findings };
  }, [election.id, region]);

  const raise = async (d) => {
    setBusy(keyOf(d));
    setRaised(null);
    try {
      const finding = await api.postFinding(election.id, { from_discrepancy: `${d.tps_code}:${d.discrepancy}`, register: true });
      setRaised({ finding });
      await reload();
    } catch (failure) {
      setRaised({ error: failure, discrepancy: d });
    } finally {
      setBusy(null);
    }
  };

  // The finding raised, or the way to raise one. The server names a discrepancy by its TPS and kind, and raises
  // findings from those at a TPS only: another of the same kind at the same TPS (a later report), or one at a
  // warehouse or PPK, is recorded by hand.
  const findingCell = (d) => {
    if (d.finding) return <a href={paths.finding(election.id, d.finding.id)}>{d.finding.number}</a>;
    if (!TPS_CODE.test(d.tps_code) || !d.first) return <a href={paths.supervision(election.id, 'temuan')}>{t('discrepancies.by_hand')}</a>;
    return (
      <button type="button" class="button-small" disabled={busy !== null} onClick={() => raise(d)}>
        {busy === keyOf(d) ? t('form.sending') : t('discrepancies.raise')}
        <span class="visually-hidden">: {t(`discrepancy.${d.discrepancy}`)}, {d.tps_code}, {d.subject}</span>
      </button>
    );
  };

  const names = itemNames.value;
  const seen = new Set();
  const rows = (data?.discrepancies || []).map((d) => {
    const first = !seen.has(`${d.tps_code}:${d.discrepancy}`);
    seen.add(`${d.tps_code}:${d.discrepancy}`);
    return { ...d, first, finding: raisedFrom(d, data.findings) };
  });
  return (
    <section class="panel" aria-labelledby="discrepancies-title">
      <h2 id="discrepancies-title">{t('discrepancies.title', { region: label })}</h2>
      <p class="muted">{t('discrepancies.intro')}</p>
      <div class="filters">
        <RegionChooser id="discrepancies-region" region={region} scope={scope} />
      </div>
      <RaiseResult election={election.id} raised={raised} />
      {loading && <Loading />}
      {error && <ErrorBox error={error} title={t('discrepancies.error')} />}
      {data && (
        <DataTable
          id="discrepancies-table"
          caption={t('discrepancies.caption', { region: label })}
          sheetName={t('discrepancies.sheet')}
          exportName={fileName('tepat', election.id, region || 'nasional', 'ketidaksesuaian')}
          rowKey={keyOf}
          sort={{ key: 'place', dir: 'asc' }}
          rows={rows}
          empty={t('discrepancies.none')}
          rowClass={(d) => (d.finding ? undefined : 'row-attention')}
          columns={[
            { key: 'place', label: t('discrepancies.place'), type: 'text', rowHeader: true, value: (d) => d.tps_code,
              render: (d) => <PlaceLink election={election.id} code={TPS_CODE.test(d.tps_code) ? d.tps_code : d.node} /> },
            { key: 'kind', label: t('discrepancies.kind'), type: 'text', value: (d) => t(`discrepancy.${d.discrepancy}`),
              sortValue: (d) => DISCREPANCIES.indexOf(d.discrepancy) },
            { key: 'finding', label: t('discrepancies.finding'), type: 'text', sortable: false,
              value: (d) => d.finding?.number || '',
              render: findingCell },
            { key: 'subject', label: t('discrepancies.subject'), type: 'text',
              value: (d) => (KIT_KINDS.includes(d.discrepancy) ? d.subject : itemLabel(d.subject, names)) },
            { key: 'recorded', label: t('discrepancies.recorded'), type: 'number',
              value: (d) => (KIT_KINDS.includes(d.discrepancy) ? null : d.recorded),
              render: (d) => recordedText(d) },
            { key: 'observed', label: t('discrepancies.observed'), type: 'number',
              value: (d) => (KIT_KINDS.includes(d.discrepancy) ? null : d.observed),
              render: (d) => observedText(d) },
            { key: 'report', label: t('discrepancies.report'), type: 'text', value: (d) => d.report_number },
          ]}
        />
      )}
    </section>
  );
}

// What the record says and what was seen, in words for kits, as numbers for counts.
function recordedText(d) {
  if (d.discrepancy === 'seal_broken') return t('discrepancies.recorded_intact');
  if (d.discrepancy === 'not_received') return t('discrepancies.recorded_received');
  return fmtNumber(d.recorded);
}

function observedText(d) {
  if (d.discrepancy === 'seal_broken') return t('discrepancies.seen_broken');
  if (d.discrepancy === 'not_received') return t('discrepancies.seen_missing');
  return fmtNumber(d.observed);
}

function RaiseResult({ election, raised }) {
  const ref = useRef(null);
  useEffect(() => ref.current?.focus(), [raised]);
  if (!raised) return null;
  if (raised.error) {
    return (
      <div class="notice notice-error" role="alert" tabIndex={-1} ref={ref} id="raise-result">
        <p><strong>{t('discrepancies.raise_refused', { tps: raised.discrepancy.tps_code })}</strong></p>
        <ul>{problemsOf(raised.error).map((p, i) => <li key={i}>{p.field ? <><code>{p.field}</code>: </> : null}{p.reason}</li>)}</ul>
      </div>
    );
  }
  const { finding } = raised;
  return (
    <div class="notice notice-ok" role="status" tabIndex={-1} ref={ref} id="raise-result">
      <p><strong>{t('discrepancies.raised', { number: finding.number })}</strong> {finding.title}</p>
      <p><a href={paths.finding(election, finding.id)}>{t('discrepancies.open_finding', { number: finding.number })}</a></p>
    </div>
  );
}
