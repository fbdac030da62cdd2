import { isProblem, Problem } from './lib/problems';

/** The signed-in person as the backend-for-frontend describes them (GET /bff/session). */
export interface SessionInfo {
  signedIn: boolean;
  signIn: 'local' | 'oidc';
  subject?: string;
  roles?: import('./lib/permissions').Role[];
  scope?: Record<string, string>;
  serviceNumber?: string | null;
  csrfToken?: string;
  idleTimeoutMs?: number;
}

/** A refusal or failure from a service or the console, carrying its problem+json. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

let csrfToken: string | undefined;
let onSignedOut: () => void = () => undefined;

export function rememberSession(session: SessionInfo, signedOut: () => void): void {
  csrfToken = session.csrfToken;
  onSignedOut = signedOut;
}

/** One call through the backend-for-frontend: the session cookie goes along, the CSRF token too on writes. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; ifMatch?: string } = {},
): Promise<{ body: T; etag: string | null }> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  if (init.ifMatch) headers['if-match'] = init.ifMatch;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    if (response.status === 401 && path.startsWith('/api/')) onSignedOut();
    throw new ApiError(isProblem(body) ? body : { status: response.status, detail: text.slice(0, 200) || response.statusText });
  }
  return { body: body as T, etag: response.headers.get('etag') };
}
