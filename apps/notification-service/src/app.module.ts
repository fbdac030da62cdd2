import { Module } from '@nestjs/common';
import { routeContracts, Topics } from '@conduct/messaging';
import { notificationContracts } from '@conduct/notifications-contracts';
import { EventSourcingModule } from '@conduct/event-sourcing';
import { noticeBacklog } from './notices/dispatch/notice-dispatcher';
import { webhookDeliveryBacklog } from './webhooks/dispatch/webhook-dispatcher';
import { ServiceRuntimeModule } from '@conduct/service-runtime';
import { notificationServiceMigrations } from './migrations';
import { NotificationServiceConfig } from './notification-service.config';
import { approvalNoticesConsumer } from './notices/intake/approval-notices.consumer';
import { caseNoticesConsumer } from './notices/intake/case-notices.consumer';
import { NoticesModule } from './notices/notices.module';
import { webhookConsumers } from './webhooks/fanout/webhook-fanout.consumer';
import { WebhooksModule } from './webhooks/webhooks.module';
import { withDirectoryErasure } from './notices/directory/personal-data-erasure.consumer';

export const SERVICE_NAME = 'notification-service';

/** Notices to people (email, from the recipient directory) and deliveries to integrations (webhooks). */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ name: SERVICE_NAME, config: NotificationServiceConfig }),
    EventSourcingModule.forRoot({
      name: SERVICE_NAME,
      migrations: notificationServiceMigrations,
      route: routeContracts(notificationContracts, Topics.notifications),
      consumers: [approvalNoticesConsumer, withDirectoryErasure(caseNoticesConsumer), ...webhookConsumers],
      backlogs: [noticeBacklog, webhookDeliveryBacklog],
    }),
    NoticesModule,
    WebhooksModule,
  ],
})
export class AppModule {}
