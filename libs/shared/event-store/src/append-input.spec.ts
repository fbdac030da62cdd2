import { appendParts, assembleCanonical } from './append-input';
import { eventHashInput } from './hash-chain';

describe('appendParts', () => {
  const event = {
    eventId: 'e7c1c7a4-5f0e-4d6e-9a57-0d9b1d1a2b3c',
    streamId: 'case-"quoted"\\ü',
    streamType: 'case',
    streamVersion: 12,
    type: 'NoteAdded',
    schemaVersion: 3,
    data: { z: [1, { b: 2, a: undefined }], a: 'x\n', at: new Date('2025-03-03T10:00:00Z') },
    metadata: { correlationId: 'c', actor: { role: 'R', id: 'i' }, occurredAt: 'now', causationId: undefined },
  };

  it('reassembles exactly eventHashInput, the way the append statement does', () => {
    expect(assembleCanonical(appendParts(event))).toBe(eventHashInput(event));
    expect(JSON.parse(assembleCanonical(appendParts(event)))).toEqual(JSON.parse(JSON.stringify(event)));
  });

  it('holds the canonical data and metadata as the column values', () => {
    const parts = appendParts(event);
    expect(parts.data).toBe('{"a":"x\\n","at":"2025-03-03T10:00:00.000Z","z":[1,{"b":2}]}');
    expect(parts.metadata).toBe('{"actor":{"id":"i","role":"R"},"correlationId":"c","occurredAt":"now"}');
  });
});
