import { CreateEventStore1764000000000 } from './1764000000000-create-event-store';
import { AddTraceContext1764000000001 } from './1764000000001-add-trace-context';
import { AppendOnlyEvents1764000000002 } from './1764000000002-append-only-events';
import { AnchoredHeads1764000000003 } from './1764000000003-anchored-heads';

export { AddTraceContext1764000000001, AnchoredHeads1764000000003, AppendOnlyEvents1764000000002, CreateEventStore1764000000000 };

/** The event store's migrations, in order: add them to each service's DataSource. */
export const eventStoreMigrations = [
  CreateEventStore1764000000000,
  AddTraceContext1764000000001,
  AppendOnlyEvents1764000000002,
  AnchoredHeads1764000000003,
];
