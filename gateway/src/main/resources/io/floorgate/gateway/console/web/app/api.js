// Calls to the gateway. State-changing calls carry the session's CSRF token in a header; a 401
// (the session ended) goes back to the login page.

let session = null;

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function loadSession() {
  session = await request('GET', '/console/api/session');
  return session;
}

export function currentSession() {
  return session;
}

export async function request(method, url, body) {
  const headers = {Accept: 'application/json'};
  if (method !== 'GET' && method !== 'HEAD') {
    if (!session) throw new ApiError(0, 'no session');
    headers[session.csrf_header] = session.csrf_token;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, `the gateway does not answer (${e.message})`);
  }
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (response.status === 401) {
    location.assign('/login');
    throw new ApiError(401, 'the session has ended; log in again', data);
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data && data.error) || response.statusText, data);
  }
  return data;
}

export const get = (url) => request('GET', url);
export const post = (url, body) => request('POST', url, body === undefined ? {} : body);
export const put = (url, body) => request('PUT', url, body);

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
}
