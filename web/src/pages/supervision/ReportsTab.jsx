// The supervisors' reports (GET .../reports) in the region chosen, and the form to record one.
import { api } from '../../api.js';
import { DataTable } from '../../components/DataTable.jsx';
import { RegionChooser, useRegion } from '../../components/RegionChooser.jsx';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { fileName } from '../../export.js';
import { fmtDateTime } from '../../format.js';
import { useLoader } from '../../hooks.js';
import { t } from '../../i18n.js';
import { ReportForm } from './ReportForm.jsx';
import { ensurePlaceNames, PlaceLink } from './common.jsx';

export function ReportsTab({ election }) {
  const { scope, region, label } = useRegion();
  const { data, error, loading, reload } = useLoader(async (signal) => {
    const answer = await api.reports(election.id, region, signal);
    await ensurePlaceNames([region, ...answer.reports.map((r) => r.report.node)]);
    return answer.reports;
  }, [election.id, region]);

  return (
    <>
      <section class="panel" aria-labelledby="report-form-title">
        <h2 id="report-form-title">{t('reports.record')}</h2>
        <ReportForm election={election} onRecorded={reload} />
      </section>
      <section class="panel" aria-labelledby="reports-title">
        <h2 id="reports-title">{t('reports.title', { region: label })}</h2>
        <div class="filters">
          <RegionChooser id="reports-region" region={region} scope={scope} />
        </div>
        {loading && <Loading />}
        {error && <ErrorBox error={error} title={t('reports.error')} />}
        {data && (
          <DataTable
            id="reports-table"
            caption={t('reports.caption', { region: label })}
            sheetName={t('reports.sheet')}
            exportName={fileName('tepat', election.id, region || 'nasional', 'laporan-pengawasan')}
            rowKey={(r) => r.report.id}
            sort={{ key: 'at', dir: 'desc' }}
            rows={data}
            empty={t('reports.none')}
            columns={[
              { key: 'number', label: t('reports.number'), type: 'text', rowHeader: true, value: (r) => r.report.number,
                sortValue: (r) => r.seq },
              { key: 'stage', label: t('report.stage'), type: 'text', value: (r) => t(`stage.${r.report.stage}`) },
              { key: 'node', label: t('reports.place'), type: 'text', value: (r) => r.report.node,
                render: (r) => <PlaceLink election={election.id} code={r.report.node} /> },
              { key: 'at', label: t('reports.at'), type: 'text', value: (r) => r.report.at,
                sortValue: (r) => Date.parse(r.report.at), render: (r) => fmtDateTime(r.report.at) },
              { key: 'supervisor', label: t('report.supervisor'), type: 'text',
                value: (r) => `${r.report.supervisor.name} (${r.report.supervisor.position})` },
              { key: 'assignment', label: t('reports.assignment'), type: 'text', value: (r) => r.report.assignment },
              { key: 'kits', label: t('reports.kits'), type: 'number', value: (r) => (r.report.kits || []).length },
              { key: 'missing', label: t('reports.kits_missing'), type: 'number',
                value: (r) => (r.report.kits || []).filter((k) => !k.present).length },
              { key: 'broken', label: t('reports.seals_broken'), type: 'number',
                value: (r) => (r.report.kits || []).flatMap((k) => k.seals || []).filter((s) => !s.intact).length },
              { key: 'observed', label: t('reports.observed'), type: 'number', value: (r) => (r.report.observed || []).length },
              { key: 'checklist', label: t('reports.checklist'), type: 'text',
                value: (r) => (r.report.checklist ? `${r.report.checklist.id} v${r.report.checklist.version}` : '') },
              { key: 'narrative', label: t('report.narrative'), type: 'text', value: (r) => r.report.narrative || '' },
              { key: 'recorded_by', label: t('reports.recorded_by'), type: 'text', value: (r) => r.recorded_by },
            ]}
          />
        )}
      </section>
    </>
  );
}
