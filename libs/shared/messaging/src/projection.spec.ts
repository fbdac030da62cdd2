import { IsString } from 'class-validator';
import { EventRow } from './envelope';
import { projection, routeContracts } from './projection';

class NoteAddedV1 {
  @IsString() text!: string;
}
const contracts = { NoteAdded: { schemaVersion: 2, data: NoteAddedV1 } };
const row = (type: string) => ({ type }) as EventRow;

describe('routeContracts', () => {
  it('sends an event with a contract to the topic and keeps any other private', () => {
    const route = routeContracts(contracts, 'conduct.notes.v1');
    expect(route(row('NoteAdded'))).toEqual({ topic: 'conduct.notes.v1' });
    expect(route(row('NoteDrafted'))).toBeNull();
    // Own properties only: an inherited name is no contract.
    expect(route(row('toString'))).toBeNull();
  });
});

describe('projection', () => {
  it('builds handlers that validate the contract at its schema version', () => {
    const { on } = projection(contracts, { table: 'notes', id: 'note_id', version: 'version' });
    const handle = jest.fn(() => Promise.resolve());
    expect(on('NoteAdded', handle)).toEqual({ contract: NoteAddedV1, schemaVersion: 2, handle });
  });
});
