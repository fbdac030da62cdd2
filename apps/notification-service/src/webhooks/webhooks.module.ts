import { Module } from '@nestjs/common';
import { WebhookDeliveries } from './deliveries/webhook-deliveries';
import { WebhookDispatcher } from './dispatch/webhook-dispatcher';
import { NotificationServiceConfig } from '../notification-service.config';
import { SecretBox } from './subscriptions/secret-box';
import { WebhookSubscriptions } from './subscriptions/webhook-subscriptions';
import { WebhookTargets } from './subscriptions/webhook-targets';
import { WebhookDeliveriesController, WebhookSubscriptionsController } from './webhooks.http.controller';

/** Signed webhooks for integrations: subscriptions, the fan-out consumer's deliveries, the dispatcher, the log. */
@Module({
  controllers: [WebhookSubscriptionsController, WebhookDeliveriesController],
  providers: [
    WebhookSubscriptions,
    WebhookDeliveries,
    WebhookDispatcher,
    {
      provide: WebhookTargets,
      inject: [NotificationServiceConfig],
      useFactory: (config: NotificationServiceConfig) => new WebhookTargets(config.WEBHOOK_ALLOWED_NETWORKS),
    },
    {
      provide: SecretBox,
      inject: [NotificationServiceConfig],
      useFactory: (config: NotificationServiceConfig) => new SecretBox(config.webhookSecretsKey(), config.webhookSecretsExtraKeys()),
    },
  ],
})
export class WebhooksModule {}
