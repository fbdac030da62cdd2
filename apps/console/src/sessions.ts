import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '@conduct/auth';

/** A signed-in person: the token the services see, and what the browser may know of it. */
export interface Session {
  id: string;
  principal: Principal;
  /** Bearer token for the services; never leaves the backend-for-frontend. */
  accessToken: string;
  /** Sent by the page in X-CSRF-Token with every state-changing call. */
  csrfToken: string;
  startedAt: number;
  lastSeenAt: number;
  /** When the token expires (an identity provider's token may outlive no session): the session ends then. */
  expiresAt: number;
}

export interface SessionLimits {
  /** Ends a session nobody used for this long. */
  idleTimeoutMs: number;
  /** Ends any session this long after sign-in, used or not (sooner when its token expires). */
  maxAgeMs: number;
}

const newSecret = () => randomBytes(32).toString('base64url');

/**
 * Sessions held in this process's memory: the cookie carries only a random id. One console
 * process per deployment (docs/adr/0022-console.md); replicas would need a shared store.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  start(principal: Principal, accessToken: string, tokenExpiresAt = Number.POSITIVE_INFINITY): Session {
    this.sweep();
    const at = this.now();
    const expiresAt = Math.min(at + this.limits.maxAgeMs, tokenExpiresAt);
    const session: Session = { id: newSecret(), principal, accessToken, csrfToken: newSecret(), startedAt: at, lastSeenAt: at, expiresAt };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session for a cookie value, touched; undefined when unknown, idle too long or too old. */
  use(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const at = this.now();
    if (this.ended(session, at)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = at;
    return session;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const at = this.now();
    for (const [id, session] of this.sessions) if (this.ended(session, at)) this.sessions.delete(id);
  }

  private ended(session: Session, at: number): boolean {
    return at - session.lastSeenAt > this.limits.idleTimeoutMs || at > session.expiresAt;
  }
}

/** Constant-time comparison of the CSRF token a request carries with its session's. */
export function csrfTokenMatches(session: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
