import { MissingUpcasterError } from './errors';
import { Upcasters } from './upcasters';

const metadata = { actor: { id: 'u-1', role: 'OFFICER' }, correlationId: 'c-1', occurredAt: '2025-03-03T10:00:00.000Z' };

interface NoteV1 {
  text: string;
}
interface NoteV2 {
  body: string;
}
interface NoteV3 {
  body: string;
  occurredAt: string;
}

function noteUpcasters(): Upcasters {
  return new Upcasters()
    .register<NoteV1, NoteV2>('NoteAdded', 1, (data) => ({ body: data.text }))
    .register<NoteV2, NoteV3>('NoteAdded', 2, (data, context) => ({ ...data, occurredAt: context.metadata.occurredAt }));
}

describe('Upcasters', () => {
  it('applies the chain from the stored version up to the current one', () => {
    expect(noteUpcasters().upcast('NoteAdded', 1, { text: 'hi' }, metadata)).toEqual({
      schemaVersion: 3,
      data: { body: 'hi', occurredAt: '2025-03-03T10:00:00.000Z' },
    });
    expect(noteUpcasters().upcast('NoteAdded', 2, { body: 'hi' }, metadata)).toEqual({
      schemaVersion: 3,
      data: { body: 'hi', occurredAt: '2025-03-03T10:00:00.000Z' },
    });
  });

  it('leaves current data and types without upcasters unchanged', () => {
    const current = { body: 'hi', occurredAt: 'then' };
    expect(noteUpcasters().upcast('NoteAdded', 3, current, metadata)).toEqual({ schemaVersion: 3, data: current });
    expect(noteUpcasters().upcast('CaseClosed', 1, { a: 1 }, metadata)).toEqual({ schemaVersion: 1, data: { a: 1 } });
  });

  it('knows the current version of each type', () => {
    expect(noteUpcasters().currentVersion('NoteAdded')).toBe(3);
    expect(noteUpcasters().currentVersion('CaseClosed')).toBe(1);
  });

  it('fails loudly on a gap in the chain instead of handing out old data', () => {
    const gappy = new Upcasters().register('NoteAdded', 2, (data: NoteV2) => data);
    expect(() => gappy.upcast('NoteAdded', 1, { text: 'hi' }, metadata)).toThrow(MissingUpcasterError);
  });

  it('refuses two upcasters for the same step', () => {
    expect(() => noteUpcasters().register('NoteAdded', 1, (data: NoteV1) => data)).toThrow(/already registered/);
  });
});
