// The tepat HTTP API (docs/api.md), as plain functions. Every answer is JSON; every error has the one shape
// {"error":{"code","message","details"}} and is thrown as an ApiError.

const BASE = '/api/v1';
const TOKEN_KEY = 'tepat.token';

export class ApiError extends Error {
  constructor(status, error, retryAfter) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code || 'network';
    // `details` is the reasons by field of a refused document (an array), `facts` what else the server says about
    // the error (an object, such as the region a saved projection covers).
    const details = error?.details;
    this.details = Array.isArray(details) ? details : [];
    this.facts = details && typeof details === 'object' && !Array.isArray(details) ? details : {};
    this.retryAfter = retryAfter;
  }
}

// The session token lives in sessionStorage: it ends with the tab. The server also sets an HttpOnly cookie for the
// same session, but requests leave cookies out (credentials: 'omit'), so that the page is logged in exactly when it
// holds a token, and no other site can make it act on a cookie.
export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (private mode): the cookie still carries the session.
  }
}

// Called when the server says the session has ended (a 401 to a request that carried a token).
let sessionEnded = () => {};
export function onSessionEnded(handler) {
  sessionEnded = handler;
}

async function request(method, path, { body, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: 'omit',
    });
  } catch (cause) {
    if (cause?.name === 'AbortError') throw cause;
    throw new ApiError(0, { code: 'network', message: String(cause?.message || cause) });
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    // An empty or non-JSON body: handled below by the status.
  }
  if (!response.ok) {
    if (response.status === 401 && token && path !== '/auth/login') sessionEnded();
    const retry = Number(response.headers.get('Retry-After')) || undefined;
    throw new ApiError(response.status, json?.error || { code: 'http', message: `HTTP ${response.status}` }, retry);
  }
  return { status: response.status, json };
}

const get = async (path, signal) => (await request('GET', path, { signal })).json;
const q = encodeURIComponent;
const regionQuery = (region) => (region ? `?region=${q(region)}` : '');

export const api = {
  elections: (signal) => get('/elections', signal),
  readiness: (election, region, signal) => get(`/elections/${q(election)}/readiness${regionQuery(region)}`, signal),
  needs: (election, region, signal) => get(`/elections/${q(election)}/needs${regionQuery(region)}`, signal),
  tpsList: (election, region, signal) => get(`/elections/${q(election)}/tps?region=${q(region)}`, signal),
  tps: (election, code, signal) => get(`/elections/${q(election)}/tps/${q(code)}`, signal),
  ledger: (election, signal) => get(`/elections/${q(election)}/ledger`, signal),
  // The saved projection (tepat simulate --save) of a region: its `top` TPS most likely to be late. 404 when none
  // is saved or it does not cover the region (then `facts.projection_region` is the region it covers, "" the nation).
  projection: (election, region, top, signal) =>
    get(`/elections/${q(election)}/projection?${new URLSearchParams(region ? { region, top } : { top })}`, signal),
  // Simulates a region's saved plan now (KPU and Bawaslu within their scope, admins): {region, scenarios, seed,
  // what_if (TOML text), mitigate}; 503 with Retry-After while another simulation runs.
  simulate: async (election, body) => (await request('POST', `/elections/${q(election)}/simulations`, { body })).json,
  problems: (election, region, signal) =>
    get(`/elections/${q(election)}/readiness/problems${regionQuery(region)}`, signal),
  nodeDocuments: (election, node, signal) => get(`/elections/${q(election)}/nodes/${q(node)}/documents`, signal),
  kit: (election, kit, signal) => get(`/elections/${q(election)}/kits/${q(kit)}`, signal),
  regions: (params, signal) => get(`/regions?${new URLSearchParams(params)}`, signal),
  region: (code, signal) => get(`/regions/${q(code)}`, signal),
  me: (signal) => get('/auth/me', signal),
  login: async (username, password) => (await request('POST', '/auth/login', { body: { username, password } })).json,
  logout: async () => (await request('POST', '/auth/logout', { body: {} })).json,
  // Resolves to {status: 201 | 200, json: {id, status: "posted" | "replayed", seq, hash}}.
  postDocument: (election, document) => request('POST', `/elections/${q(election)}/documents`, { body: document }),
  document: (id, signal) => get(`/documents/${q(id)}`, signal),

  // Supervision (Bawaslu): reports (Form A), the discrepancies they show against the ledger, findings and their steps.
  checklists: (stage, signal) => get(`/checklists?stage=${q(stage)}`, signal),
  reports: (election, region, signal) => get(`/elections/${q(election)}/reports${regionQuery(region)}`, signal),
  // Resolves to {status: 201 | 200, json: {id, number, status: "recorded" | "replayed", seq}}.
  postReport: (election, report) => request('POST', `/elections/${q(election)}/reports`, { body: report }),
  discrepancies: (election, region, signal) =>
    get(`/elections/${q(election)}/discrepancies${regionQuery(region)}`, signal),
  findings: (election, region, signal) => get(`/elections/${q(election)}/findings${regionQuery(region)}`, signal),
  postFinding: async (election, body) => (await request('POST', `/elections/${q(election)}/findings`, { body })).json,
  finding: (id, signal) => get(`/findings/${q(id)}`, signal),
  stepFinding: async (id, body) => (await request('POST', `/findings/${q(id)}/steps`, { body })).json,
};
