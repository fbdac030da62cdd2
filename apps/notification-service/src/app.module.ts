import { Module } from '@nestjs/common';
import { EventSourcingModule, ServiceRuntimeModule } from '@conduct/service-runtime';
import { notificationServiceMigrations } from './migrations';
import { NotificationServiceConfig } from './notification-service.config';
import { noticeConsumers } from './notices/notice.consumers';
import { NoticesModule } from './notices/notices.module';
import { routeNotificationEvent } from './notification-routes';
import { webhookConsumers } from './webhooks/webhook.consumers';
import { WebhooksModule } from './webhooks/webhooks.module';

export const SERVICE_NAME = 'notification-service';

/** Notices to people (email, from the recipient directory) and deliveries to integrations (webhooks). */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ name: SERVICE_NAME, config: NotificationServiceConfig }),
    EventSourcingModule.forRoot({
      name: SERVICE_NAME,
      migrations: notificationServiceMigrations,
      route: routeNotificationEvent,
      consumers: [...noticeConsumers, ...webhookConsumers],
    }),
    NoticesModule,
    WebhooksModule,
  ],
})
export class AppModule {}
