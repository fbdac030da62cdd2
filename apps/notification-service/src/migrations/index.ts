import { noticeMigrations } from '../notices/notice.migrations';
import { webhookMigrations } from '../webhooks/webhook.migrations';

/** notification-service's own tables, after the event store's and the messaging tables. */
export const notificationServiceMigrations = [...noticeMigrations, ...webhookMigrations];
