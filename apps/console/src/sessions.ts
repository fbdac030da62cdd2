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
}

export interface SessionLimits {
  /** Ends a session nobody used for this long. */
  idleTimeoutMs: number;
  /** Ends any session this long after sign-in, used or not. */
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

  start(principal: Principal, accessToken: string): Session {
    this.sweep();
    const at = this.now();
    const session: Session = { id: newSecret(), principal, accessToken, csrfToken: newSecret(), startedAt: at, lastSeenAt: at };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session for a cookie value, touched; undefined when unknown, idle too long or too old. */
  use(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const at = this.now();
    if (at - session.lastSeenAt > this.limits.idleTimeoutMs || at - session.startedAt > this.limits.maxAgeMs) {
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
    for (const [id, session] of this.sessions) {
      if (at - session.lastSeenAt > this.limits.idleTimeoutMs || at - session.startedAt > this.limits.maxAgeMs) this.sessions.delete(id);
    }
  }
}

/** Constant-time comparison of the CSRF token a request carries with its session's. */
export function csrfTokenMatches(session: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
