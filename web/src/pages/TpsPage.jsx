// One TPS (GET .../tps/{code}): its state and problems, its risk of being late in the saved projection, need
// against received per item, its kits and seals, and the documents of its chain of custody.
import { api } from '../api.js';
import { Breadcrumb } from '../components/Breadcrumb.jsx';
import { ClockPanel } from '../components/ClockPanel.jsx';
import { DataTable } from '../components/DataTable.jsx';
import { ArrivalBand, BandLegend, intervalText, runText } from '../components/Risk.jsx';
import { ErrorBox, Loading } from '../components/Status.jsx';
import { itemNames, regionNames, rememberRegions } from '../data.js';
import { fileName } from '../export.js';
import { fmtDateTime, fmtNumber, fmtPercent, fraction, itemLabel, nodeLabel } from '../format.js';
import { useLoader, useTitle } from '../hooks.js';
import { t } from '../i18n.js';
import { useLive } from '../live.js';
import { paths } from '../router.js';

export function TpsPage({ election, code }) {
  const village = code.split('.').slice(0, 4).join('.');
  const { data, error, loading, reload } = useLoader(async (signal) => {
    const tps = await api.tps(election.id, code, signal);
    rememberRegions(tps.path || []);
    return tps;
  }, [election.id, code]);
  useLive(election.id, error ? null : village, reload);
  const number = code.slice(-3);
  useTitle(`TPS ${number} ${regionNames.value.get(village) || village}`);

  if (loading) return <Loading />;
  if (error) {
    return (
      <>
        <h1 tabIndex={-1}>TPS {code}</h1>
        <ErrorBox error={error} title={t('tps_page.error')} />
      </>
    );
  }
  const tps = data;
  const path = tps.path || [];
  const villageName = path.at(-1)?.name || village;
  return (
    <div class="page-tps" data-tps={tps.tps}>
      <Breadcrumb election={election.id} trail={path} current={`TPS ${number}`} />
      <div class="page-heading">
        <h1 tabIndex={-1}>TPS {number} · {villageName}</h1>
        <p class="subtitle">{t('tps_page.subtitle', { code })} · {election.name}</p>
      </div>
      <ClockPanel election={election} at={tps.at} />
      <section class="panel" aria-labelledby="tps-state-title">
        <h2 id="tps-state-title">{t('tps_page.state_title')}</h2>
        <dl class="facts">
          <div>
            <dt>{t('tps.state')}</dt>
            <dd><span id="tps-state" class={`badge badge-${tps.state}`}>{t(`state.${tps.state}`)}</span></dd>
          </div>
          <div>
            <dt>{t('tps.deadline')}</dt>
            <dd>{t('clock.before', { at: fmtDateTime(tps.deadline) })}</dd>
          </div>
        </dl>
        <h3>{t('tps.problems')}</h3>
        {tps.problems.length === 0 ? <p id="tps-problems">{t('tps_page.no_problems')}</p> : (
          <ul id="tps-problems" class="problem-list">
            {tps.problems.map((p) => (
              <li key={p}><strong>{t(`problem.${p}`)}</strong>: {t(`problem_desc.${p}`)}</li>
            ))}
          </ul>
        )}
      </section>
      {tps.risk && <RiskSection election={election.id} village={village} villageName={villageName} risk={tps.risk} />}
      <section class="panel" aria-labelledby="tps-items-title">
        <h2 id="tps-items-title">{t('tps_page.items_title')}</h2>
        <TpsItems election={election.id} code={code} items={tps.items} />
      </section>
      <section class="panel" aria-labelledby="tps-kits-title">
        <h2 id="tps-kits-title">{t('tps_page.kits_title')}</h2>
        {(tps.kits || []).length === 0 ? <p>{t('tps_page.no_kits')}</p>
          : tps.kits.map((kit) => <KitCard key={kit.kit} election={election.id} kit={kit} />)}
      </section>
      <section class="panel" aria-labelledby="tps-docs-title">
        <h2 id="tps-docs-title">{t('tps_page.documents_title')}</h2>
        {tps.names_hidden && <p class="notice">{t('tps_page.names_hidden')}</p>}
        <Timeline documents={tps.documents || []} />
      </section>
    </div>
  );
}

// Its chance of arriving after the deadline in the saved projection, and the band of its arrival times.
function RiskSection({ election, village, villageName, risk }) {
  return (
    <section class="panel" id="tps-risk" aria-labelledby="tps-risk-title">
      <h2 id="tps-risk-title">{t('risk.title')}</h2>
      <dl class="facts">
        <div>
          <dt>{t('risk.p_late')}</dt>
          <dd>
            <strong id="tps-risk-p">{fmtPercent(risk.p_late)}</strong>{' '}
            <span id="tps-risk-interval">{t('risk.interval_text', { interval: intervalText(risk) })}</span>
          </dd>
        </div>
        <div>
          <dt>{t('risk.lateness')}</dt>
          <dd id="tps-risk-hours">{t('risk.hours', { hours: fmtNumber(risk.expected_lateness_hours) })}</dd>
        </div>
        <div>
          <dt>{t('risk.arrival')}</dt>
          <dd>{t('risk.arrival_text', { p50: fmtDateTime(risk.arrival_p50), p05: fmtDateTime(risk.arrival_p05),
            p95: fmtDateTime(risk.arrival_p95) })}</dd>
        </div>
        <div>
          <dt>{t('tps.deadline')}</dt>
          <dd>{t('clock.before', { at: fmtDateTime(risk.deadline) })}</dd>
        </div>
      </dl>
      <ArrivalBand risk={risk} wide />
      <BandLegend />
      <p class="muted small">
        {t('risk.note')}{risk.projection ? ` ${runText(risk.projection)}` : ''}{' '}
        <a href={paths.projection(election, village)}>{t('risk.see_projection', { region: villageName })}</a>
      </p>
    </section>
  );
}

function TpsItems({ election, code, items }) {
  const names = itemNames.value;
  return (
    <DataTable
      id="tps-items-table"
      caption={t('tps_page.items_caption', { code })}
      exportName={fileName('tepat', election, code, 'barang')}
      rowKey={(r) => r.item}
      sort={{ key: 'order', dir: 'asc' }}
      rows={items.map((line, order) => ({ ...line, order }))}
      columns={[
        { key: 'name', label: t('items.item'), type: 'text', rowHeader: true, value: (r) => itemLabel(r.item, names) },
        { key: 'order', label: t('items.code'), type: 'text', value: (r) => r.item, sortValue: (r) => r.order },
        { key: 'need', label: t('items.need'), type: 'number', value: (r) => r.need },
        { key: 'received', label: t('items.received'), type: 'number', value: (r) => r.received },
        { key: 'diff', label: t('items.difference'), type: 'number', value: (r) => r.received - r.need },
        { key: 'share', label: t('items.progress'), type: 'percent', bar: true, value: (r) => fraction(r.received, r.need) },
      ]}
    />
  );
}

// A kit, its label and seals, and its contents.
export function KitCard({ election, kit }) {
  const names = itemNames.value;
  const regions = regionNames.value;
  return (
    <article class="kit-card" aria-labelledby={`kit-${kit.kit}`}>
      <h3 id={`kit-${kit.kit}`}>{t('kit.title', { kit: kit.kit })}</h3>
      <dl class="facts">
        <div><dt>{t('kit.label')}</dt><dd><code>{kit.label}</code></dd></div>
        {kit.tps && <div><dt>TPS</dt><dd><a href={paths.tps(election, kit.tps)}>{kit.tps}</a></dd></div>}
        <div><dt>{t('kit.packed_at')}</dt><dd>{nodeLabel(kit.packed_at, regions)}</dd></div>
        <div>
          <dt>{t('kit.seals', { n: fmtNumber(kit.seals.length) })}</dt>
          <dd>
            {kit.seals.length === 0 ? t('kit.no_seals') : (
              <ul class="seal-list">{kit.seals.map((s) => <li key={s}><code>{s}</code></li>)}</ul>
            )}
          </dd>
        </div>
      </dl>
      <details>
        <summary>{t('kit.contents', { n: fmtNumber(kit.contents.length) })}</summary>
        <DataTable
          id={`kit-table-${kit.kit.replace(/[^A-Za-z0-9_-]/g, '-')}`}
          caption={t('kit.contents_caption', { kit: kit.kit })}
          sheetName={t('kit.sheet')}
          exportName={fileName('tepat', election, kit.kit)}
          rowKey={(r) => r.item}
          sort={{ key: 'order', dir: 'asc' }}
          rows={kit.contents.map((line, order) => ({ ...line, order }))}
          columns={[
            { key: 'name', label: t('items.item'), type: 'text', rowHeader: true, value: (r) => itemLabel(r.item, names) },
            { key: 'order', label: t('items.code'), type: 'text', value: (r) => r.item, sortValue: (r) => r.order },
            { key: 'quantity', label: t('kit.quantity'), type: 'number', value: (r) => r.quantity },
          ]}
        />
      </details>
    </article>
  );
}

// The documents in ledger order: what each did, between whom, when, and who signed.
function Timeline({ documents }) {
  const regions = regionNames.value;
  if (documents.length === 0) return <p>{t('tps_page.no_documents')}</p>;
  return (
    <ol class="timeline" id="tps-timeline">
      {documents.map((entry) => {
        const doc = entry.document;
        const [from, to] = doc.kind === 'receipt' ? [doc.from, doc.node]
          : doc.kind === 'dispatch' ? [doc.node, doc.to] : [doc.node, null];
        return (
          <li key={entry.id} class={`timeline-entry kind-${entry.kind}${entry.reversed_by ? ' reversed' : ''}`}>
            <p class="timeline-head">
              <time datetime={entry.at}>{fmtDateTime(entry.at)}</time>
              <strong class="timeline-kind">{t(`kind.${entry.kind}`)}</strong>
              {doc.number && <span class="muted"> {doc.number}</span>}
            </p>
            <p>
              {to ? t('doc.from_to', { from: nodeLabel(from, regions), to: nodeLabel(to, regions) })
                : t('doc.at_node', { node: nodeLabel(from, regions) })}
            </p>
            <DocumentContents doc={doc} />
            {entry.kind === 'dispatch' && (
              <p class={entry.received_by ? 'ok' : 'attention'}>
                {entry.received_by ? t('doc.received') : t('doc.awaiting')}
              </p>
            )}
            {entry.reversed_by && <p class="attention">{t('doc.reversed')}</p>}
            <p class="signers">
              {t('doc.signed_by')}{' '}
              {(doc.signed_by || []).map((p, i) => (
                <span key={i} class="signer">
                  {p.name ? `${p.name} (${p.role})` : <>{p.role} <span class="muted">{t('doc.name_hidden')}</span></>}
                  {i < doc.signed_by.length - 1 ? '; ' : ''}
                </span>
              ))}
            </p>
            <p class="muted small">{t('doc.reference', { seq: fmtNumber(entry.seq), id: entry.id })}</p>
          </li>
        );
      })}
    </ol>
  );
}

function DocumentContents({ doc }) {
  const names = itemNames.value;
  const parts = [];
  if (doc.kind === 'receipt') {
    for (const kit of doc.kits || []) {
      const notes = [kit.accepted ? t('doc.kit_accepted') : t('doc.kit_refused', { reason: kit.reason ? t(`reason.${kit.reason}`) : '–' })];
      if (!kit.seals_intact) notes.push(t('doc.seals_broken'));
      if (kit.damaged) notes.push(t('doc.damaged'));
      parts.push(`${kit.kit}: ${notes.join(', ')}`);
    }
    for (const line of doc.lines || []) {
      parts.push(t('doc.line_received', {
        item: itemLabel(line.item, names), accepted: fmtNumber(line.accepted), sent: fmtNumber(line.sent),
      }));
    }
  } else {
    for (const kit of doc.kits || []) parts.push(typeof kit === 'string' ? kit : kit.kit);
    for (const line of doc.lines || []) {
      const n = line.quantity ?? line.received ?? line.counted;
      parts.push(n === undefined ? itemLabel(line.item, names) : `${itemLabel(line.item, names)}: ${fmtNumber(n)}`);
    }
  }
  if (doc.note) parts.push(doc.note);
  if (parts.length === 0) return null;
  return <ul class="doc-contents">{parts.map((p, i) => <li key={i}>{p}</li>)}</ul>;
}
