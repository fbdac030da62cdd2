import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { CLOCK, Clock } from '@conduct/service-runtime';
import { webhookFanoutClock } from './webhook.consumers';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDispatcher } from './webhook.dispatcher';
import { NotificationServiceConfig } from '../notification-service.config';
import { SecretBox } from './secret-box';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { WebhookTargets } from './webhook-targets';
import { WebhookDeliveriesController, WebhookSubscriptionsController } from './webhooks.http.controller';

/** Gives the fan-out consumer (declared before Nest exists) the app's clock, before the consumers start. */
@Injectable()
export class WebhookFanoutClockLink implements OnModuleInit {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  onModuleInit(): void {
    webhookFanoutClock.current = this.clock;
  }
}

/** Signed webhooks for integrations: subscriptions, the fan-out consumer's deliveries, the dispatcher, the log. */
@Module({
  controllers: [WebhookSubscriptionsController, WebhookDeliveriesController],
  providers: [
    WebhookSubscriptions,
    WebhookDeliveries,
    WebhookDispatcher,
    WebhookFanoutClockLink,
    { provide: WebhookTargets, inject: [NotificationServiceConfig], useFactory: (config: NotificationServiceConfig) => new WebhookTargets(config.WEBHOOK_ALLOWED_NETWORKS) },
    { provide: SecretBox, inject: [NotificationServiceConfig], useFactory: (config: NotificationServiceConfig) => new SecretBox(config.webhookSecretsKey()) },
  ],
})
export class WebhooksModule {}
