import { CreateEventStore1764000000000 } from './1764000000000-create-event-store';
import { AddTraceContext1764000000001 } from './1764000000001-add-trace-context';

export { AddTraceContext1764000000001, CreateEventStore1764000000000 };

/** The event store's migrations, in order: add them to each service's DataSource. */
export const eventStoreMigrations = [CreateEventStore1764000000000, AddTraceContext1764000000001];
