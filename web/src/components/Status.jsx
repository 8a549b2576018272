import { ApiError } from '../api.js';
import { t } from '../i18n.js';
import { paths } from '../router.js';
import { sessionKnown, user } from '../session.js';

export function Loading({ label }) {
  return <p class="loading" role="status">{label || t('status.loading')}</p>;
}

// An API failure in words: what happened, and the server's own message.
export function ErrorBox({ error, title }) {
  const status = error instanceof ApiError ? error.status : 0;
  const reason = status === 0 ? t('error.network')
    : status === 401 ? t('error.unauthorized')
    : status === 403 ? t('error.forbidden')
    : status === 404 ? t('error.not_found')
    : status === 503 ? t('error.unavailable')
    : t('error.generic', { status });
  return (
    <div class="notice notice-error" role="alert">
      <p><strong>{title || t('error.title')}</strong> {reason}</p>
      {error?.message && status !== 0 && <p class="server-message" lang="en">{error.message}</p>}
    </div>
  );
}

// Shows its children to the roles given; others are told why, and the public is offered the login.
export function RoleGate({ roles, children }) {
  if (!sessionKnown.value) return <Loading />;
  const account = user.value;
  if (!account) {
    const here = window.location.pathname + window.location.search;
    return (
      <div class="notice">
        <p>{t('gate.login_needed')}</p>
        <p><a class="button-link" href={paths.login(here)}>{t('nav.login')}</a></p>
      </div>
    );
  }
  if (!roles.includes(account.role)) {
    return <p class="notice">{t('gate.wrong_role', { role: t(`role.${account.role}`) })}</p>;
  }
  return children;
}
