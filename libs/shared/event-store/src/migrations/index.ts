import { CreateEventStore1764000000000 } from './1764000000000-create-event-store';

export { CreateEventStore1764000000000 };

/** The event store's migrations, in order: add them to each service's DataSource. */
export const eventStoreMigrations = [CreateEventStore1764000000000];
