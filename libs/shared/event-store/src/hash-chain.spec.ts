import { createHash } from 'node:crypto';
import type { ChainedEvent, HashedEventFields } from './events';
import { GENESIS_HASH, computeEventHash, eventHashInput, verifyChain } from './hash-chain';

const metadata = { actor: { id: 'u-1', role: 'OFFICER' }, correlationId: 'c-1', occurredAt: '2025-03-03T10:00:00.000Z' };

function fields(streamVersion: number, data: object = { n: streamVersion }): HashedEventFields {
  return {
    eventId: `00000000-0000-4000-8000-00000000000${streamVersion}`,
    streamId: 'case-1',
    streamType: 'case',
    streamVersion,
    type: 'NoteAdded',
    schemaVersion: 1,
    data,
    metadata,
  };
}

/** A correctly chained stream of `length` events. */
function chain(length: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let version = 1; version <= length; version += 1) {
    const hash = computeEventHash(prevHash, fields(version));
    events.push({ ...fields(version), prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe('eventHashInput', () => {
  it('covers exactly the documented fields, keys sorted', () => {
    const withExtras = { ...fields(1), position: '7', recordedAt: new Date(), prevHash: 'x', hash: 'y' };
    expect(eventHashInput(withExtras)).toBe(
      '{"data":{"n":1},"eventId":"00000000-0000-4000-8000-000000000001",' +
        '"metadata":{"actor":{"id":"u-1","role":"OFFICER"},"correlationId":"c-1","occurredAt":"2025-03-03T10:00:00.000Z"},' +
        '"schemaVersion":1,"streamId":"case-1","streamType":"case","streamVersion":1,"type":"NoteAdded"}',
    );
  });
});

describe('computeEventHash', () => {
  it('is the hex sha256 of prevHash followed by the canonical JSON', () => {
    const expected = createHash('sha256')
      .update(GENESIS_HASH + eventHashInput(fields(1)))
      .digest('hex');
    expect(computeEventHash(GENESIS_HASH, fields(1))).toBe(expected);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('changes with the previous hash and with any covered field', () => {
    const base = computeEventHash(GENESIS_HASH, fields(1));
    expect(computeEventHash('f'.repeat(64), fields(1))).not.toBe(base);
    expect(computeEventHash(GENESIS_HASH, fields(1, { n: 2 }))).not.toBe(base);
    expect(computeEventHash(GENESIS_HASH, { ...fields(1), metadata: { ...metadata, correlationId: 'c-2' } })).not.toBe(base);
    expect(computeEventHash(GENESIS_HASH, { ...fields(1), streamType: 'approval' })).not.toBe(base);
  });
});

describe('verifyChain', () => {
  it('accepts an intact stream', () => {
    expect(verifyChain(chain(4))).toEqual({ intact: true, eventsChecked: 4 });
    expect(verifyChain([])).toEqual({ intact: true, eventsChecked: 0 });
  });

  it('catches edited data at the edited event', () => {
    const events = chain(4);
    events[2] = { ...events[2]!, data: { n: 99 } };
    expect(verifyChain(events)).toEqual({ intact: false, eventsChecked: 3, brokenAt: { streamVersion: 3, reason: 'hash-mismatch' } });
  });

  it('catches an edit even when the edited row was re-hashed, at the next event', () => {
    const events = chain(4);
    const edited = { ...events[1]!, data: { n: 99 } };
    events[1] = { ...edited, hash: computeEventHash(edited.prevHash, edited) };
    expect(verifyChain(events).brokenAt).toEqual({ streamVersion: 3, reason: 'chain-broken' });
  });

  it('catches a removed event', () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(verifyChain(events).brokenAt).toEqual({ streamVersion: 3, reason: 'version-gap' });
  });

  it('catches a removed first event when the genesis is expected', () => {
    const events = chain(3).slice(1);
    expect(verifyChain(events, { previous: { streamVersion: 0, hash: GENESIS_HASH } }).brokenAt).toEqual({
      streamVersion: 2,
      reason: 'version-gap',
    });
  });

  it('catches a renumbered event whose predecessor was removed', () => {
    const events = chain(3);
    events.splice(1, 1);
    events[1] = { ...events[1]!, streamVersion: 2 };
    expect(verifyChain(events).brokenAt).toEqual({ streamVersion: 2, reason: 'chain-broken' });
  });

  it('verifies a slice from a known previous event, or on trust of its first link', () => {
    const events = chain(5);
    const slice = events.slice(2);
    expect(verifyChain(slice, { previous: { streamVersion: 2, hash: events[1]!.hash } }).intact).toBe(true);
    expect(verifyChain(slice).intact).toBe(true);
    expect(verifyChain(slice, { previous: { streamVersion: 2, hash: GENESIS_HASH } }).brokenAt).toEqual({
      streamVersion: 3,
      reason: 'chain-broken',
    });
  });

  it('refuses events of another stream', () => {
    const events = chain(2);
    events[1] = { ...events[1]!, streamId: 'case-2' };
    expect(verifyChain(events).brokenAt).toEqual({ streamVersion: 2, reason: 'stream-mismatch' });
  });
});
