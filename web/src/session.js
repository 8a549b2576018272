// Who is logged in. `user` is null for the public, else {username, role, scope}.
import { signal } from '@preact/signals';
import { api, ApiError, getToken, onSessionEnded, setToken } from './api.js';

export const user = signal(null);
// True once the first /auth/me has answered, so pages that need a login do not flash "log in first".
export const sessionKnown = signal(false);

onSessionEnded(() => {
  setToken(null);
  user.value = null;
});

// A stored token from earlier in this tab: /auth/me says whether it is still valid, and for which account.
export async function restoreSession() {
  if (!getToken()) {
    sessionKnown.value = true;
    return;
  }
  try {
    user.value = await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) setToken(null);
    user.value = null;
  } finally {
    sessionKnown.value = true;
  }
}

export async function login(username, password) {
  const answer = await api.login(username, password);
  setToken(answer.token);
  user.value = answer.user;
  return answer.user;
}

export async function logout() {
  try {
    await api.logout();
  } catch {
    // An ended session is as good as logged out.
  }
  setToken(null);
  user.value = null;
}
