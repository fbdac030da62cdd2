import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { CorrelationId, IdParam } from '@conduct/http';
import { Page } from '@conduct/queries';
import { WebhookDeliveriesQueryDto } from './deliveries/webhook-deliveries.dto';
import { WebhookDeliveries, WebhookDeliveryDetail, WebhookDeliveryView } from './deliveries/webhook-deliveries';
import { CreateWebhookSubscriptionDto, PersonalDataGrantDto } from './subscriptions/webhook-subscription.dto';
import { CreatedWebhookSubscription, WebhookSubscriptions, WebhookSubscriptionView } from './subscriptions/webhook-subscriptions';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('INTEGRATION', 'ADMIN')
@Controller('webhooks/subscriptions')
export class WebhookSubscriptionsController {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Subscribe a URL to event types (signed webhooks; see docs/webhooks.md)',
    description:
      'Events recorded from now on whose type is listed and whose jurisdiction lies in your scope are POSTed to targetUrl, signed ' +
      'with the secret. Without a secret one is generated and returned in this response only.',
  })
  @ApiCreatedResponse({ description: 'The subscription (with the generated secret, if any); Location is set' })
  async create(
    @Body() body: CreateWebhookSubscriptionDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CreatedWebhookSubscription> {
    const created = await this.subscriptions.create(body, principal);
    response.setHeader('Location', `/webhooks/subscriptions/${created.subscriptionId}`);
    return created;
  }

  @Get()
  @ApiOperation({ summary: 'Your subscriptions (ADMIN: everyone’s), newest first; secrets are never shown' })
  @ApiOkResponse({ description: 'The subscriptions' })
  list(@CurrentPrincipal() principal: Principal): Promise<WebhookSubscriptionView[]> {
    return this.subscriptions.list(principal);
  }

  @Get(':subscriptionId')
  @ApiOperation({ summary: 'One of your subscriptions (the secret is never shown)' })
  @ApiOkResponse({ description: 'The subscription' })
  get(@IdParam('subscriptionId') subscriptionId: string, @CurrentPrincipal() principal: Principal): Promise<WebhookSubscriptionView> {
    return this.subscriptions.get(subscriptionId, principal);
  }

  @Delete(':subscriptionId')
  @ApiOperation({ summary: 'Deactivate a subscription: nothing more is queued or sent; its log stays' })
  @ApiOkResponse({ description: 'The subscription, inactive' })
  deactivate(@IdParam('subscriptionId') subscriptionId: string, @CurrentPrincipal() principal: Principal): Promise<WebhookSubscriptionView> {
    return this.subscriptions.deactivate(subscriptionId, principal);
  }

  @Put(':subscriptionId/personal-data')
  @Roles('ADMIN')
  @ApiOperation({
    summary: "Grant the subscription personal data (ADMIN): its next deliveries carry officers' names and addresses",
    description: 'Without a grant, webhook payloads are redacted as for any integration: names and addresses are null and `redacted` lists them.',
  })
  @ApiOkResponse({ description: 'The subscription, with who granted personal data, when and why' })
  grantPersonalData(
    @IdParam('subscriptionId') subscriptionId: string,
    @Body() body: PersonalDataGrantDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookSubscriptionView> {
    return this.subscriptions.setPersonalData(subscriptionId, { reason: body.reason }, principal);
  }

  @Delete(':subscriptionId/personal-data')
  @Roles('ADMIN')
  @ApiOperation({ summary: 'Take the grant of personal data back (ADMIN): the next deliveries are redacted again' })
  @ApiOkResponse({ description: 'The subscription, without a grant' })
  revokePersonalData(@IdParam('subscriptionId') subscriptionId: string, @CurrentPrincipal() principal: Principal): Promise<WebhookSubscriptionView> {
    return this.subscriptions.setPersonalData(subscriptionId, null, principal);
  }
}

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('INTEGRATION', 'ADMIN')
@Controller('webhooks/deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveries) {}

  @Get()
  @ApiOperation({ summary: 'The delivery log, newest first: filter by subscription, case, status or event type' })
  @ApiOkResponse({ description: 'A page of deliveries' })
  list(@Query() filters: WebhookDeliveriesQueryDto, @CurrentPrincipal() principal: Principal): Promise<Page<WebhookDeliveryView>> {
    return this.deliveries.list(filters, principal);
  }

  @Get(':deliveryId')
  @ApiOperation({ summary: 'One delivery: the envelope it sends and every attempt, with status codes and reasons' })
  @ApiOkResponse({ description: 'The delivery and its history' })
  get(@IdParam('deliveryId') deliveryId: string, @CurrentPrincipal() principal: Principal): Promise<WebhookDeliveryDetail> {
    return this.deliveries.get(deliveryId, principal);
  }

  @Post(':deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivered or dead delivery again, now, with a fresh set of attempts (409 while it is still pending)',
    description: 'Records WebhookRedeliveryRequested. The same webhook-id is sent again.',
  })
  @ApiAcceptedResponse({ description: 'The delivery, pending' })
  redeliver(
    @IdParam('deliveryId') deliveryId: string,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
  ): Promise<WebhookDeliveryView> {
    return this.deliveries.redeliver(deliveryId, principal, correlationId);
  }
}
