// The console talks only to the public REST API (/api/v1) with its session cookie; mutating calls
// carry the session's CSRF token. Errors are the API's problem+json, kept whole so forms can show
// each field's message next to the field.

const session = { csrf: null, role: null, name: null, tokenId: null };
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.fieldErrors = problem.errors || [];
  }
}

export function currentSession() {
  return session;
}

export function setSignedOutHandler(fn) {
  onSignedOut = fn;
}

const RANK = { viewer: 1, operator: 2, admin: 3 };

/** Whether the signed-in role is at least `role` (what the console shows; the API enforces it anyway). */
export function can(role) {
  return (RANK[session.role] || 0) >= RANK[role];
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  const res = await fetch('/api/v1' + path, {
    method, headers, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = { detail: text.slice(0, 200) };
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') {
      // only a session that ends while in use sends the operator to the sign-in page: a late answer
      // of a page left behind at sign-out must not render the form again (it would clear what is typed)
      const wasSignedIn = session.role !== null;
      clearSession();
      if (wasSignedIn) onSignedOut();
    }
    throw new ApiError(res.status, json || {});
  }
  return json;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);

function clearSession() {
  Object.assign(session, { csrf: null, role: null, name: null, tokenId: null });
}

/** The current session, if the cookie is still good. */
export async function resume() {
  try {
    const s = await api('GET', '/session');
    Object.assign(session, s);
    return s;
  } catch (e) {
    clearSession();
    return null;
  }
}

export async function signIn(token) {
  const s = await api('POST', '/session', { token });
  Object.assign(session, s);
  return s;
}

export async function signOut() {
  try {
    await api('DELETE', '/session');
  } finally {
    clearSession();
  }
}

/** A query string from an object, skipping empty values. */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, v);
  }
  const s = p.toString();
  return s ? '?' + s : '';
}

/** Server-Sent Events of a rollout (the cookie authenticates); returns a close function. */
export function rolloutEvents(id, onEvent) {
  const es = new EventSource('/api/v1/rollouts/' + encodeURIComponent(id) + '/events');
  const handler = (name) => (e) => {
    try {
      onEvent(name, JSON.parse(e.data));
    } catch (err) {
      console.warn('bad event', err);
    }
  };
  es.addEventListener('progress', handler('progress'));
  es.addEventListener('final', (e) => {
    handler('final')(e);
    es.close();
  });
  return () => es.close();
}
