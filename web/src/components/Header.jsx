import { useState } from 'preact/hooks';
import { REGION_CODE, TPS_CODE } from '../format.js';
import { lang, setLang, t } from '../i18n.js';
import { navigate, paths, route } from '../router.js';
import { logout, user } from '../session.js';

export function Header({ election }) {
  const account = user.value;
  const path = route.value.path;
  const links = [];
  if (election) {
    links.push({ href: paths.election(election), label: t('nav.dashboard'),
      current: path === paths.election(election) || path.startsWith(`/${election}/wilayah`) || path.startsWith(`/${election}/tps`) });
    links.push({ href: paths.projection(election), label: t('nav.projection'),
      current: path.startsWith(paths.projection(election)) });
    // A finding's page belongs to the supervisors' section, and for KPU officers to the operators' one.
    const finding = path.startsWith(`/${election}/temuan/`);
    if (account && (account.role === 'kpu' || account.role === 'admin')) {
      links.push({ href: paths.operator(election), label: t('nav.operator'),
        current: path === paths.operator(election) || (finding && account.role === 'kpu') });
    }
    if (account && (account.role === 'bawaslu' || account.role === 'admin')) {
      links.push({ href: paths.supervision(election), label: t('nav.supervision'),
        current: path === paths.supervision(election) || finding });
    }
  }

  const signOut = async () => {
    await logout();
    navigate(election ? paths.election(election) : '/');
  };

  return (
    <header class="site-header">
      <div class="header-inner">
        <a class="brand" href={election ? paths.election(election) : '/'}>
          <span class="brand-mark" aria-hidden="true">✓</span>
          <span class="brand-name">tepat</span>
          <span class="brand-tagline">{t('brand.tagline')}</span>
        </a>
        <div class="header-tools">
          <button type="button" class="link-button" lang={lang.value === 'id' ? 'en' : 'id'}
            onClick={() => setLang(lang.value === 'id' ? 'en' : 'id')}>
            {lang.value === 'id' ? 'English' : 'Bahasa Indonesia'}
          </button>
          {account ? (
            <span class="account">
              <span class="account-name">
                {account.username}
                <span class="account-role"> · {t(`role.${account.role}`)}{account.scope ? ` ${account.scope}` : ''}</span>
              </span>
              <button type="button" class="link-button" onClick={signOut}>{t('nav.logout')}</button>
            </span>
          ) : (
            <a href={paths.login(path === '/masuk' ? '' : path + window.location.search)}>{t('nav.login')}</a>
          )}
        </div>
      </div>
      <div class="header-inner header-second">
        {links.length > 0 && (
          <nav aria-label={t('nav.label')} class="main-nav">
            <ul>
              {links.map((l) => (
                <li key={l.href}><a href={l.href} aria-current={l.current ? 'page' : undefined}>{l.label}</a></li>
              ))}
            </ul>
          </nav>
        )}
        {election && <SearchForm election={election} />}
      </div>
    </header>
  );
}

// A TPS code goes straight to its page, a region code to the region; anything else searches region names.
function SearchForm({ election }) {
  const [text, setText] = useState('');
  const submit = (event) => {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    if (TPS_CODE.test(value)) navigate(paths.tps(election, value));
    else if (REGION_CODE.test(value)) navigate(paths.region(election, value));
    else navigate(paths.search(election, value));
    setText('');
  };
  return (
    <form role="search" class="search-form" onSubmit={submit}>
      <label for="site-search" class="visually-hidden">{t('search.label')}</label>
      <input id="site-search" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)}
        placeholder={t('search.placeholder')} autocomplete="off" aria-describedby="site-search-hint" />
      <span id="site-search-hint" class="visually-hidden">{t('search.hint')}</span>
      <button type="submit">{t('search.button')}</button>
    </form>
  );
}
