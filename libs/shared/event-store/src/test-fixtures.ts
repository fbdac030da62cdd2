import { randomUUID } from 'node:crypto';
import type { NewEvent } from './events';
import type { EventMetadata } from './metadata';

/** Test helpers shared by this library's specs; not exported from the library. */
export const testMetadata: EventMetadata = {
  actor: { id: 'officer-1', role: 'IA_INVESTIGATOR', unitId: 'unit-7' },
  correlationId: 'corr-1',
  occurredAt: '2025-03-03T10:00:00.000Z',
  jurisdiction: { province: 'Punjab', district: 'Lahore' },
};

export function newEvent(type: string, data: object, schemaVersion?: number): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: testMetadata, ...(schemaVersion ? { schemaVersion } : {}) };
}

export function freshStreamId(prefix = 'case'): string {
  return `${prefix}-${randomUUID()}`;
}

/** A tiny aggregate to fold: counts events and keeps the notes in order. */
export interface NotesState {
  count: number;
  notes: string[];
}

export type NoteEvent = { type: 'NoteAdded'; data: { text: string } };

export const notesEvolver = {
  initialState: { count: 0, notes: [] } as NotesState,
  evolve: (state: NotesState, event: NoteEvent): NotesState => ({
    count: state.count + 1,
    notes: [...state.notes, event.data.text],
  }),
};
