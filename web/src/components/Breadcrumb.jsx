import { t } from '../i18n.js';
import { paths } from '../router.js';

// "Indonesia › Jawa Timur › Kota Surabaya › Karang Pilang": the ancestors as links, then the current page. `href`
// gives a region's path (by default its dashboard).
export function Breadcrumb({ election, trail, current, href = paths.region }) {
  return (
    <nav class="breadcrumb" aria-label={t('breadcrumb.label')}>
      <ol>
        {current !== null && (
          <li><a href={href(election, '')}>Indonesia</a></li>
        )}
        {trail.map((r) => (
          <li key={r.code}><a href={href(election, r.code)}>{r.name}</a></li>
        ))}
        <li aria-current="page">{current ?? 'Indonesia'}</li>
      </ol>
    </nav>
  );
}
