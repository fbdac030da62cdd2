import { CreateNotices1764001000000 } from './1764001000000-create-notices';
import { AddNoticeLeases1764001000001 } from './1764001000001-add-notice-leases';
import { AddRecipientEdits1764001000002 } from './1764001000002-add-recipient-edits';
import { CreateWebhookSubscriptions1764002000000 } from './1764002000000-create-webhook-subscriptions';
import { CreateWebhookDeliveries1764002000001 } from './1764002000001-create-webhook-deliveries';
import { AddWebhookPersonalDataGrant1764002000002 } from './1764002000002-add-webhook-personal-data-grant';
import { AddDispatchTraceContext1764002000003 } from './1764002000003-add-trace-context';
import { AddShowCauseReminders1764002000004 } from './1764002000004-add-show-cause-reminders';
import { AddErasedPeople1764002000005 } from './1764002000005-add-erased-people';

/** notification-service's own tables, after the event store's and the messaging tables. */
export const notificationServiceMigrations = [
  CreateNotices1764001000000,
  AddNoticeLeases1764001000001,
  AddRecipientEdits1764001000002,
  CreateWebhookSubscriptions1764002000000,
  CreateWebhookDeliveries1764002000001,
  AddWebhookPersonalDataGrant1764002000002,
  AddDispatchTraceContext1764002000003,
  AddShowCauseReminders1764002000004,
  AddErasedPeople1764002000005,
];
