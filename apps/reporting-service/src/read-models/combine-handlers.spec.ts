import { IsString } from 'class-validator';
import { EventEnvelope, InboxHandler } from '@conduct/messaging';
import { EntityManager } from 'typeorm';
import { combineHandlers } from './combine-handlers';
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

it("keeps each read model's onArrival apart from its handle: a trail records on arrival, the others in stream order", async () => {
  const trail: InboxHandler<object> = {
    ...recording('trail'),
    onArrival: (_envelope, _manager, origin) => {
      calls.push(`trail on arrival from ${origin.topic}/${origin.partition}@${origin.offset}`);
      return Promise.resolve();
    },
  };
  const combined = combineHandlers([model('a', { NoteAdded: recording('a') }), model('trail', { NoteAdded: trail })]);

  await combined['NoteAdded']!.onArrival!(envelope, manager, { topic: 'conduct.cases.v1', partition: 2, offset: '41' });
  expect(calls).toEqual(['trail on arrival from conduct.cases.v1/2@41']);
  await combined['NoteAdded']!.handle(envelope, manager);
  expect(calls).toEqual(['trail on arrival from conduct.cases.v1/2@41', 'a', 'trail']);
  expect(
    combineHandlers([model('a', { NoteAdded: recording('a') }), model('b', { NoteAdded: recording('b') })])['NoteAdded']!.onArrival,
  ).toBeUndefined();
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
