import { casesContracts } from '@conduct/cases-contracts';
import { EventRow, RelayRoute, Topics } from '@conduct/messaging';

/** Every case event with a contract goes to conduct.cases.v1; anything else stays private. */
export const routeCaseEvent = (row: EventRow): RelayRoute => (Object.hasOwn(casesContracts, row.type) ? { topic: Topics.cases } : null);
