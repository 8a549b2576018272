// The KPU officer's page: record a receipt or a dispatch for a node in scope, find a kit by its label, and the
// recommendations (saran perbaikan) Bawaslu addressed to the officer's units (loaded when first opened).
import { RoleGate } from '../components/Status.jsx';
import { useTitle } from '../hooks.js';
import { t } from '../i18n.js';
import { lazy } from '../lazy.jsx';
import { paths, route } from '../router.js';
import { user } from '../session.js';
import { DispatchForm } from './operator/DispatchForm.jsx';
import { KitLookup } from './operator/KitLookup.jsx';
import { ReceiptForm } from './operator/ReceiptForm.jsx';

const AdviceTab = lazy(() => import('./supervision/index.js'), 'AdviceTab');

const TASKS = ['penerimaan', 'pengiriman', 'kit', 'saran'];

export function OperatorPage({ election }) {
  useTitle(t('operator.title'));
  const requested = route.value.query.get('tugas');
  const task = TASKS.includes(requested) ? requested : TASKS[0];
  return (
    <div>
      <h1 tabIndex={-1}>{t('operator.title')}</h1>
      <RoleGate roles={['kpu', 'admin']}>
        <p>{t('operator.intro', { scope: user.value?.scope || t('operator.national') })}</p>
        <nav class="tabs" aria-label={t('operator.tasks')}>
          <ul>
            {TASKS.map((name) => (
              <li key={name}>
                <a href={paths.operator(election.id, name)} aria-current={task === name ? 'page' : undefined}>
                  {t(`operator.task_${name}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <section aria-labelledby="task-title" class="task">
          <h2 id="task-title" class="visually-hidden">{t(`operator.task_${task}`)}</h2>
          {task === 'penerimaan' && <ReceiptForm election={election} />}
          {task === 'pengiriman' && <DispatchForm key={user.value?.username} election={election} />}
          {task === 'kit' && <KitLookup election={election} />}
          {task === 'saran' && <AdviceTab election={election} />}
        </section>
      </RoleGate>
    </div>
  );
}
