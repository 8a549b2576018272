import { useTitle } from '../hooks.js';
import { t } from '../i18n.js';

export function NotFound({ message }) {
  useTitle(t('not_found.title'));
  return (
    <div>
      <h1 tabIndex={-1}>{t('not_found.title')}</h1>
      <p>{message || t('not_found.text')}</p>
      <p><a href="/">{t('not_found.home')}</a></p>
    </div>
  );
}
