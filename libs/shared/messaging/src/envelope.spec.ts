import { randomUUID } from 'node:crypto';
import { computeEventHash, EventMetadata, GENESIS_HASH, verifyChain } from '@conduct/event-store';
import { IsInt, IsString } from 'class-validator';
import { EventRow, toEnvelope, toKafkaMessage } from './envelope';
import { validateContract, validateEnvelope } from './validation';

const metadata: EventMetadata = {
  actor: { id: 'officer-1', role: 'OFFICER', unitId: 'unit-7' },
  correlationId: 'corr-1',
  causationId: 'cmd-1',
  occurredAt: '2025-03-03T10:00:00.000Z',
  jurisdiction: { province: 'Punjab', district: 'Lahore' },
};

function row(streamVersion: number, prevHash: string, data: Record<string, unknown>): EventRow {
  const fields = {
    eventId: randomUUID(),
    streamId: 'case-1',
    streamType: 'ConductCase',
    streamVersion,
    type: 'NoteAdded',
    schemaVersion: 1,
    data,
    metadata,
  };
  return {
    position: String(streamVersion),
    transaction_id: '900',
    stream_id: fields.streamId,
    stream_type: fields.streamType,
    stream_version: streamVersion,
    event_id: fields.eventId,
    type: fields.type,
    schema_version: 1,
    data,
    metadata,
    recorded_at: '2025-03-03T10:00:01.123456Z',
    prev_hash: prevHash,
    hash: computeEventHash(prevHash, fields),
  };
}

describe('toEnvelope', () => {
  const first = row(1, GENESIS_HASH, { text: 'first' });
  const second = row(2, first.hash, { text: 'second' });

  it('maps an events row to the envelope, metadata spread into its fields and kept whole', () => {
    expect(toEnvelope(first)).toEqual({
      eventId: first.event_id,
      type: 'NoteAdded',
      schemaVersion: 1,
      streamId: 'case-1',
      streamType: 'ConductCase',
      streamVersion: 1,
      occurredAt: '2025-03-03T10:00:00.000Z',
      recordedAt: '2025-03-03T10:00:01.123456Z',
      actor: metadata.actor,
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      jurisdiction: metadata.jurisdiction,
      data: { text: 'first' },
      metadata,
      prevHash: GENESIS_HASH,
      hash: first.hash,
    });
  });

  it('writes a Date recorded_at as ISO text and leaves out absent causation and jurisdiction', () => {
    const bare = {
      ...first,
      recorded_at: new Date('2025-03-03T10:00:01.5Z'),
      metadata: { actor: metadata.actor, correlationId: 'c', occurredAt: metadata.occurredAt },
    };
    const envelope = toEnvelope(bare);
    expect(envelope.recordedAt).toBe('2025-03-03T10:00:01.500Z');
    expect(envelope).not.toHaveProperty('causationId');
    expect(envelope).not.toHaveProperty('jurisdiction');
  });

  it('gives a message keyed by stream id with type, schema version and correlation id headers', () => {
    const message = toKafkaMessage(toEnvelope(second));
    expect(message.key).toBe('case-1');
    expect(message.headers).toEqual({ 'conduct-event-type': 'NoteAdded', 'conduct-schema-version': '1', 'conduct-correlation-id': 'corr-1' });
    expect(JSON.parse(message.value)).toEqual(toEnvelope(second));
  });

  it('carries everything a receiver needs to verify the hash chain', () => {
    const received = [first, second].map(
      (r) => JSON.parse(toKafkaMessage(toEnvelope(r)).value) as ReturnType<typeof toEnvelope> & { metadata: EventMetadata },
    );
    expect(verifyChain(received)).toEqual({ intact: true, eventsChecked: 2 });
    received[1]!.data = { text: 'edited' };
    expect(verifyChain(received).intact).toBe(false);
  });
});

describe('validateEnvelope', () => {
  const valid = JSON.parse(JSON.stringify(toEnvelope(row(1, GENESIS_HASH, { text: 'x' })))) as Record<string, unknown>;

  it('accepts what the relay publishes', async () => {
    expect(await validateEnvelope(valid)).toMatchObject({ valid: true });
  });

  it.each([
    ['eventId', { eventId: 'not-a-uuid' }, 'eventId: eventId must be a UUID'],
    ['schemaVersion', { schemaVersion: 0 }, 'schemaVersion: schemaVersion must not be less than 1'],
    ['streamVersion', { streamVersion: 1.5 }, 'streamVersion: streamVersion must be an integer number'],
    ['occurredAt', { occurredAt: 'yesterday' }, 'occurredAt: occurredAt must be a valid ISO 8601 date string'],
    ['actor.id', { actor: { role: 'OFFICER' } }, 'actor.id: id must be a string'],
    ['actor', { actor: undefined }, 'actor: actor should not be null or undefined'],
    ['jurisdiction.province', { jurisdiction: { district: 'Lahore' } }, 'jurisdiction.province: province must be a string'],
    ['data', { data: 'text' }, 'data: data must be an object'],
  ])('rejects a bad %s with a reason naming the field', async (_field, change, reason) => {
    const result = await validateEnvelope({ ...valid, ...change });
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : result.reason).toContain(reason);
  });

  it('rejects what is not an object', async () => {
    expect(await validateEnvelope([valid])).toEqual({ valid: false, reason: 'expected a JSON object, got an array' });
    expect(await validateEnvelope('text')).toEqual({ valid: false, reason: 'expected a JSON object, got string' });
  });

  it('tolerates envelope fields it does not know (a later minor addition)', async () => {
    expect(await validateEnvelope({ ...valid, addedLater: true })).toMatchObject({ valid: true });
  });
});

describe('validateContract', () => {
  class NoteAddedV1 {
    @IsString() text!: string;
    @IsInt() length!: number;
  }

  it('returns an instance of the contract class', async () => {
    const result = await validateContract(NoteAddedV1, { text: 'hi', length: 2 });
    expect(result.valid && result.value).toBeInstanceOf(NoteAddedV1);
  });

  it('tolerates unknown fields unless told to forbid them', async () => {
    expect(await validateContract(NoteAddedV1, { text: 'hi', length: 2, extra: 1 })).toMatchObject({ valid: true });
    expect(await validateContract(NoteAddedV1, { text: 'hi', length: 2, extra: 1 }, { forbidUnknownFields: true })).toEqual({
      valid: false,
      reason: 'extra: property extra should not exist',
    });
  });
});
