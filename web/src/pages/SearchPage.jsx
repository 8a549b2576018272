// Regions found by name (GET /regions?q=), level by level, each with its province for telling namesakes apart.
import { api } from '../api.js';
import { ErrorBox, Loading } from '../components/Status.jsx';
import { rememberRegions, regionNames } from '../data.js';
import { fmtNumber } from '../format.js';
import { useLoader, useTitle } from '../hooks.js';
import { t } from '../i18n.js';
import { paths } from '../router.js';

const LEVELS = ['province', 'regency', 'district', 'village'];
const PER_LEVEL = 30;

export function SearchPage({ election, text }) {
  useTitle(t('search.title', { text }));
  const { data, error, loading } = useLoader(async (signal) => {
    const [provinces, ...found] = await Promise.all([
      api.regions({}, signal),
      ...LEVELS.map((level) => api.regions({ q: text, level, limit: PER_LEVEL + 1 }, signal)),
    ]);
    rememberRegions(provinces.regions);
    return found.map((answer) => answer.regions);
  }, [text]);

  return (
    <div>
      <h1 tabIndex={-1}>{t('search.title', { text })}</h1>
      {loading && <Loading />}
      {error && <ErrorBox error={error} />}
      {data && data.every((list) => list.length === 0) && <p>{t('search.nothing')}</p>}
      {data && LEVELS.map((level, i) => data[i].length > 0 && (
        <section key={level} class="panel" aria-labelledby={`found-${level}`}>
          <h2 id={`found-${level}`}>
            {t(`level.${level}`)}{' '}
            <span class="muted">
              ({data[i].length > PER_LEVEL ? t('search.more_than', { n: fmtNumber(PER_LEVEL) }) : fmtNumber(data[i].length)})
            </span>
          </h2>
          <ul class="result-list">
            {data[i].slice(0, PER_LEVEL).map((r) => (
              <li key={r.code}>
                <a href={paths.region(election.id, r.code)}>{r.name}</a>{' '}
                <span class="muted">
                  {r.code}{level !== 'province' ? ` · ${regionNames.value.get(r.code.slice(0, 2)) || ''}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {data && <p class="muted small">{t('search.tip')}</p>}
    </div>
  );
}
