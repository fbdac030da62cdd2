import { EventRow, RelayRoute, Topics } from '@conduct/messaging';
import { notificationContracts } from '@conduct/notifications-contracts';

/** Every notification event with a contract goes to conduct.notifications.v1; anything else stays private. */
export const routeNotificationEvent = (row: EventRow): RelayRoute =>
  Object.hasOwn(notificationContracts, row.type) ? { topic: Topics.notifications } : null;
