// For KPU officers: the findings whose recommendation (saran perbaikan) Bawaslu addressed to a unit in their scope
// (GET .../findings answers a KPU account with those only), the late ones flagged; each opens the finding's page,
// where the officer answers it and records the follow-up.
import { api } from '../../api.js';
import { ErrorBox, Loading } from '../../components/Status.jsx';
import { fileName } from '../../export.js';
import { fmtNumber } from '../../format.js';
import { useLoader } from '../../hooks.js';
import { t } from '../../i18n.js';
import { route, updateQuery } from '../../router.js';
import { user } from '../../session.js';
import { ensurePlaceNames, FindingsTable, matchesFilter, StateFilter } from './common.jsx';

export function AdviceTab({ election }) {
  const filter = route.value.query.get('keadaan') || '';
  const { data, error, loading } = useLoader(async (signal) => {
    const answer = await api.findings(election.id, '', signal);
    // An admin sees every finding: those with a recommendation are the ones addressed to someone.
    const addressed = answer.findings.filter((f) => f.recommendation);
    await ensurePlaceNames(addressed.flatMap((f) => [f.region || f.node, f.recommendation.to]));
    return addressed;
  }, [election.id, user.value?.username]);

  if (loading) return <Loading />;
  if (error) return <ErrorBox error={error} title={t('advice.error')} />;
  const waiting = data.filter((f) => f.state === 'recommended').length;
  const overdue = data.filter((f) => f.overdue).length;
  const rows = data.filter((f) => matchesFilter(f, filter));
  return (
    <div>
      <p>{t('advice.intro')}</p>
      <p id="advice-summary" class={overdue ? 'attention' : undefined}>
        {t('advice.summary', { n: fmtNumber(data.length), waiting: fmtNumber(waiting), overdue: fmtNumber(overdue) })}
      </p>
      <div class="filters">
        <StateFilter id="advice-filter" findings={data} value={filter} onChange={(value) => updateQuery({ keadaan: value })} />
      </div>
      <FindingsTable election={election.id} id="advice-table" findings={rows} caption={t('advice.caption')}
        exportName={fileName('tepat', election.id, user.value?.scope || 'nasional', 'saran-perbaikan', filter)}
        empty={t('advice.none')} />
    </div>
  );
}
