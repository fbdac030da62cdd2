import { csrfTokenMatches, SessionStore } from './sessions';

describe('console sessions', () => {
  const principal = { subject: 'ia-rashid', roles: ['IA_INVESTIGATOR' as const], scope: { province: 'sindh' } };

  it('ends a session after the idle timeout, and any session at its maximum age', () => {
    let now = 0;
    const store = new SessionStore({ idleTimeoutMs: 1_000, maxAgeMs: 5_000 }, () => now);
    const session = store.start(principal, 'token');
    now = 900;
    expect(store.use(session.id)?.principal.subject).toBe('ia-rashid');
    now = 1_800; // used at 900: 900 ms idle
    expect(store.use(session.id)).toBeDefined();
    now = 2_801; // 1,001 ms idle
    expect(store.use(session.id)).toBeUndefined();

    const busy = store.start(principal, 'token');
    for (now = 3_000; now <= 7_800; now += 800) expect(store.use(busy.id)).toBeDefined();
    now = 8_001; // never idle, but older than 5 s
    expect(store.use(busy.id)).toBeUndefined();
    expect(store.size).toBe(0);

    // A token from the identity provider that expires before the maximum age ends the session with it.
    const short = store.start(principal, 'token', now + 2_000);
    now += 900;
    expect(store.use(short.id)).toBeDefined();
    now += 900; // 1.8 s in, used 0.9 s ago
    expect(store.use(short.id)).toBeDefined();
    now += 300; // used 0.3 s ago, but the token expired 0.1 s ago
    expect(store.use(short.id)).toBeUndefined();
  });

  it('gives each session its own unguessable id and CSRF token, checked in constant time', () => {
    const store = new SessionStore({ idleTimeoutMs: 1_000, maxAgeMs: 5_000 });
    const one = store.start(principal, 'a');
    const two = store.start(principal, 'b');
    expect(one.id).not.toBe(two.id);
    expect(one.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenMatches(one, one.csrfToken)).toBe(true);
    expect(csrfTokenMatches(one, two.csrfToken)).toBe(false);
    expect(csrfTokenMatches(one, undefined)).toBe(false);
    store.end(one.id);
    expect(store.use(one.id)).toBeUndefined();
  });
});
