// A finding's evidence: "report:ID" (a supervision report, read by Bawaslu) and "document:ID" (a ledger document),
// each shown with what it says; anything else, or what cannot be read, as it is written.
import { api } from '../../api.js';
import { Loading } from '../../components/Status.jsx';
import { regionNames } from '../../data.js';
import { fmtDateTime, fmtNumber, nodeLabel } from '../../format.js';
import { useLoader } from '../../hooks.js';
import { t } from '../../i18n.js';
import { paths } from '../../router.js';
import { user } from '../../session.js';

export function Evidence({ election, finding }) {
  const evidence = finding.evidence || [];
  const supervisor = ['bawaslu', 'admin'].includes(user.value?.role);
  const { data, loading } = useLoader(async (signal) => {
    const reports = new Map();
    const documents = new Map();
    const wanted = (kind) => evidence.filter((e) => e.startsWith(`${kind}:`)).map((e) => e.slice(kind.length + 1));
    const reportIds = wanted('report');
    const work = wanted('document').map((id) => api.document(id, signal).then(
      (doc) => documents.set(id, doc), () => {}));
    if (supervisor && reportIds.length && finding.region) {
      work.push(api.reports(election, finding.region, signal).then((answer) => {
        for (const r of answer.reports) if (reportIds.includes(r.report.id)) reports.set(r.report.id, r.report);
      }, () => {}));
    }
    await Promise.all(work);
    return { reports, documents };
  }, [finding.id, evidence.join(' ')]);

  if (evidence.length === 0) return <p>{t('evidence.none')}</p>;
  if (loading) return <Loading />;
  const names = regionNames.value;
  return (
    <ul class="evidence-list" id="finding-evidence">
      {evidence.map((entry) => {
        const [kind, id] = [entry.slice(0, entry.indexOf(':')), entry.slice(entry.indexOf(':') + 1)];
        const report = kind === 'report' ? data?.reports.get(id) : null;
        const doc = kind === 'document' ? data?.documents.get(id) : null;
        if (report) {
          const broken = (report.kits || []).flatMap((k) => (k.seals || []).filter((s) => !s.intact).map((s) => s.seal));
          return (
            <li key={entry}>
              <strong>{t('evidence.report', { number: report.number })}</strong>{' '}
              {t('evidence.report_details', {
                stage: t(`stage.${report.stage}`), node: nodeLabel(report.node, names), at: fmtDateTime(report.at),
                name: report.supervisor.name, position: report.supervisor.position,
              })}
              {broken.length > 0 && <> {t('evidence.seals_broken', { seals: broken.join(', ') })}</>}
              {report.narrative && <p class="prose">{report.narrative}</p>}
            </li>
          );
        }
        if (doc) {
          const tps = doc.document.node?.startsWith('kpps:') ? doc.document.node.slice(5) : null;
          return (
            <li key={entry}>
              <strong>{t(`kind.${doc.kind}`)}</strong> {doc.document.number || ''}{' '}
              {t('evidence.document_details', { node: nodeLabel(doc.document.node, names), at: fmtDateTime(doc.at) })}{' '}
              <span class="muted small">{t('doc.reference', { seq: fmtNumber(doc.seq), id: doc.id })}</span>
              {tps && <> <a href={paths.tps(election, tps)}>{t('post.see_tps', { tps })}</a></>}
            </li>
          );
        }
        return (
          <li key={entry}>
            {kind === 'report' ? t('evidence.report_id') : kind === 'document' ? t('evidence.document_id') : kind}{' '}
            <code>{id}</code>
          </li>
        );
      })}
    </ul>
  );
}
