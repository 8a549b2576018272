// A small History-API router: the location is a signal; links inside the application navigate without a reload.
import { signal } from '@preact/signals';

export const route = signal(current());

function current() {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

export function navigate(to, { replace = false } = {}) {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  const target = url.pathname + url.search + url.hash;
  if (replace) window.history.replaceState(null, '', target);
  else if (target !== window.location.pathname + window.location.search + window.location.hash) {
    window.history.pushState(null, '', target);
  }
  route.value = current();
  if (!replace) window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  route.value = current();
});

// Same-origin links navigate in place unless the user asked for a new tab or window, or a download.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const anchor = event.target.closest?.('a[href]');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

// Changes parameters of the current query in place (an empty value removes it), without a new history entry.
export function updateQuery(changes) {
  const query = new URLSearchParams(route.value.query);
  for (const [key, value] of Object.entries(changes)) {
    if (value) query.set(key, value);
    else query.delete(key);
  }
  const text = query.toString();
  navigate(`${route.value.path}${text ? `?${text}` : ''}`, { replace: true });
}

// Matches a path against patterns like "/:election/wilayah/:code"; returns the parameters or null.
export function matchPath(pattern, path) {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

// Paths of the application, in one place.
export const paths = {
  election: (e) => `/${e}`,
  region: (e, code) => (code ? `/${e}/wilayah/${code}` : `/${e}`),
  tps: (e, code) => `/${e}/tps/${code}`,
  projection: (e, code) => (code ? `/${e}/proyeksi/${code}` : `/${e}/proyeksi`),
  search: (e, text) => `/${e}/cari?q=${encodeURIComponent(text)}`,
  operator: (e, task) => `/${e}/petugas${task ? `?tugas=${task}` : ''}`,
  supervision: (e, section) => `/${e}/pengawasan${section ? `?bagian=${section}` : ''}`,
  finding: (e, id) => `/${e}/temuan/${encodeURIComponent(id)}`,
  login: (next) => `/masuk${next ? `?lanjut=${encodeURIComponent(next)}` : ''}`,
};
