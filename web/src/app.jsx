// The layout (skip link, header, main, footer) and the choice of page by path.
import { useEffect, useRef } from 'preact/hooks';
import { Header } from './components/Header.jsx';
import { ErrorBox, Loading } from './components/Status.jsx';
import { elections, electionsError, findElection, loadItemNames } from './data.js';
import { t } from './i18n.js';
import { lazy } from './lazy.jsx';
import { matchPath, navigate, paths, route } from './router.js';
import { LoginPage } from './pages/LoginPage.jsx';
import { NotFound } from './pages/NotFound.jsx';
import { OperatorPage } from './pages/OperatorPage.jsx';
import { RegionPage } from './pages/RegionPage.jsx';
import { SearchPage } from './pages/SearchPage.jsx';
import { SupervisionPage } from './pages/SupervisionPage.jsx';
import { TpsPage } from './pages/TpsPage.jsx';

const FindingPage = lazy(() => import('./pages/supervision/index.js'), 'FindingPage');
const ProjectionPage = lazy(() => import('./pages/projection/index.js'), 'ProjectionPage');

// Pages of one election, by path pattern.
const ELECTION_PAGES = [
  ['/:election', (e) => <RegionPage election={e} code="" />],
  ['/:election/wilayah/:code', (e, p) => <RegionPage election={e} code={p.code} />],
  ['/:election/tps/:code', (e, p) => <TpsPage election={e} code={p.code} />],
  ['/:election/proyeksi', (e) => <ProjectionPage election={e} code="" />],
  ['/:election/proyeksi/:code', (e, p) => <ProjectionPage election={e} code={p.code} />],
  ['/:election/cari', (e, p, query) => <SearchPage election={e} text={query.get('q') || ''} />],
  ['/:election/petugas', (e) => <OperatorPage election={e} />],
  ['/:election/pengawasan', (e) => <SupervisionPage election={e} />],
  ['/:election/temuan/:id', (e, p) => <FindingPage election={e} id={p.id} />],
];

function Redirect({ to }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

function Page() {
  const { path, query } = route.value;
  if (path === '/masuk') return <LoginPage />;
  if (electionsError.value) return <ErrorBox error={electionsError.value} title={t('app.elections_error')} />;
  const list = elections.value;
  if (!list) return <Loading />;
  if (path === '/') {
    if (list.length === 0) return <NotFound message={t('app.no_elections')} />;
    return <Redirect to={paths.election(list[0].id)} />;
  }
  for (const [pattern, render] of ELECTION_PAGES) {
    const params = matchPath(pattern, path);
    if (!params) continue;
    const election = findElection(params.election);
    if (!election) return <NotFound message={t('app.unknown_election', { id: params.election })} />;
    return render(election, params, query);
  }
  return <NotFound />;
}

export function App() {
  const { path } = route.value;
  const main = useRef(null);
  const first = useRef(true);
  // After a change of page, the focus goes to its heading (or to the main region while it loads), so that screen
  // readers announce the new page and keyboard users start from it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    requestAnimationFrame(() => (main.current?.querySelector('h1') || main.current)?.focus({ preventScroll: true }));
  }, [path]);

  const segment = path.split('/')[1];
  const current = findElection(segment) ? segment : elections.value?.[0]?.id;
  useEffect(() => {
    if (current) loadItemNames(current);
  }, [current]);
  return (
    <>
      <a class="skip-link" href="#main">{t('app.skip')}</a>
      <Header election={current} />
      <main id="main" ref={main} tabIndex={-1}>
        <Page />
      </main>
      <footer class="site-footer">
        <p>{t('app.footer')}</p>
        <p class="small">{t('app.attribution')}</p>
      </footer>
    </>
  );
}
