import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { Field } from '../components/Field.jsx';
import { elections } from '../data.js';
import { useTitle } from '../hooks.js';
import { t } from '../i18n.js';
import { navigate, paths, route } from '../router.js';
import { login, user } from '../session.js';

// Where an account goes after logging in, unless it came from a page.
function home(account) {
  const election = elections.value?.[0]?.id;
  if (!election) return '/';
  if (account.role === 'kpu') return paths.operator(election);
  if (account.role === 'bawaslu') return paths.supervision(election);
  return paths.election(election);
}

// Only paths of this application are followed after login.
const safeNext = (next) => (next && next.startsWith('/') && !next.startsWith('//') ? next : null);

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(null);
  useTitle(t('login.title'));
  const next = safeNext(route.value.query.get('lanjut'));

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const account = await login(username.trim(), password);
      navigate(next || home(account), { replace: true });
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  const account = user.value;
  const message = failure && (failure instanceof ApiError && failure.status === 401 ? t('login.wrong')
    : failure instanceof ApiError && failure.status === 429 ? t('login.throttled', { seconds: failure.retryAfter ?? 300 })
    : failure instanceof ApiError && failure.status === 400 ? t('login.missing')
    : t('login.failed'));

  return (
    <div class="page-narrow">
      <h1 tabIndex={-1}>{t('login.title')}</h1>
      {account && (
        <p class="notice">{t('login.already', { username: account.username, role: t(`role.${account.role}`) })}</p>
      )}
      <p>{t('login.intro')}</p>
      <form class="form-card" onSubmit={submit} aria-describedby={message ? 'login-error' : undefined}>
        {message && <p id="login-error" class="notice notice-error" role="alert">{message}</p>}
        <Field id="login-username" label={t('login.username')} name="username" autocomplete="username"
          autocapitalize="none" spellcheck={false} required value={username}
          onInput={(e) => setUsername(e.currentTarget.value)} />
        <Field id="login-password" label={t('login.password')} name="password" type="password"
          autocomplete="current-password" required value={password}
          onInput={(e) => setPassword(e.currentTarget.value)} />
        <button type="submit" class="button-primary" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
      </form>
      <p class="muted small">{t('login.note')}</p>
    </div>
  );
}
