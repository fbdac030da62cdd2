import { IsString } from 'class-validator';
import { EventEnvelope, InboxHandler } from '@conduct/messaging';
import { EntityManager } from 'typeorm';
import { combineArrivals, combineHandlers } from './combine-handlers';
import { ReadModel } from './read-model';

class NoteData {
  @IsString() text!: string;
}
class OtherData {
  @IsString() text!: string;
}

const calls: string[] = [];
const recording = (label: string, contract: InboxHandler<object>['contract'] = NoteData): InboxHandler<object> => ({
  contract,
  schemaVersion: 1,
  handle: () => {
    calls.push(label);
    return Promise.resolve();
  },
});
const model = (name: string, handlers: ReadModel['handlers']): ReadModel => ({ name, ddl: [], handlers });
const envelope = { type: 'NoteAdded' } as EventEnvelope<object>;
const manager = {} as EntityManager;

beforeEach(() => calls.splice(0));

it('runs the handlers of every read model for a type, in list order, under one contract', async () => {
  const combined = combineHandlers([
    model('a', { NoteAdded: recording('a') }),
    model('b', { NoteAdded: recording('b'), Other: recording('b-other') }),
  ]);

  await combined['NoteAdded']!.handle(envelope, manager);

  expect(calls).toEqual(['a', 'b']);
  expect(combined['NoteAdded']).toMatchObject({ contract: NoteData, schemaVersion: 1 });
  expect(Object.keys(combined).sort()).toEqual(['NoteAdded', 'Other']);
});

it("runs every read model's onArrivals in list order, apart from the handlers, and has none when no read model records arrivals", async () => {
  const trail =
    (label: string): ReadModel['onArrivals'] =>
    (arrivals) => {
      calls.push(...arrivals.map(({ origin }) => `${label} on arrival from ${origin.topic}/${origin.partition}@${origin.offset}`));
      return Promise.resolve();
    };
  const models = [
    model('a', { NoteAdded: recording('a') }),
    { ...model('trail', { NoteAdded: recording('trail') }), onArrivals: trail('trail') },
    { ...model('audit', {}), onArrivals: trail('audit') },
  ];
  const origin = { topic: 'conduct.cases.v1', partition: 2, offset: '41' };

  await combineArrivals(models)!([{ envelope, origin }], manager);
  expect(calls).toEqual(['trail on arrival from conduct.cases.v1/2@41', 'audit on arrival from conduct.cases.v1/2@41']);
  expect(combineArrivals([model('a', { NoteAdded: recording('a') })])).toBeUndefined();
});

it('stops at the first failing handler so the inbox transaction rolls back as a whole', async () => {
  const failing: InboxHandler<object> = { ...recording('a'), handle: () => Promise.reject(new Error('boom')) };
  const combined = combineHandlers([model('a', { NoteAdded: failing }), model('b', { NoteAdded: recording('b') })]);

  await expect(combined['NoteAdded']!.handle(envelope, manager)).rejects.toThrow('boom');
  expect(calls).toEqual([]);
});

it('refuses read models that validate one type with different contracts', () => {
  expect(() => combineHandlers([model('a', { NoteAdded: recording('a') }), model('b', { NoteAdded: recording('b', OtherData) })])).toThrow(
    /read model "b" validates NoteAdded differently from "a"/,
  );
});
