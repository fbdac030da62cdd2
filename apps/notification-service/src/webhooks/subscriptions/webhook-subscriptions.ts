import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { Scope } from '@conduct/jurisdiction';
import { CLOCK, Clock } from '@conduct/event-sourcing';
import { NotificationServiceConfig } from '../../notification-service.config';
import { SecretBox } from './secret-box';
import { CreateWebhookSubscriptionDto } from './webhook-subscription.dto';
import { WebhookTargets } from './webhook-targets';

export interface WebhookSubscriptionView {
  subscriptionId: string;
  targetUrl: string;
  eventTypes: string[];
  description: string | null;
  /** The creator's scope: only events whose jurisdiction lies inside it are delivered. */
  scope: Scope;
  active: boolean;
  createdBy: string;
  createdAt: string;
  deactivatedBy: string | null;
  deactivatedAt: string | null;
  /**
   * An ADMIN's grant of personal data: deliveries then carry officers' names and addresses. Without
   * one (null) they are redacted as for any integration.
   */
  personalData: { grantedBy: string; grantedAt: string; reason: string } | null;
}

/** The answer to a create: the view, plus the secret when Conduct generated it (shown this once). */
export type CreatedWebhookSubscription = WebhookSubscriptionView & { secret?: string };

interface SubscriptionRow {
  subscription_id: string;
  target_url: string;
  event_types: string[];
  description: string | null;
  province: string | null;
  range: string | null;
  district: string | null;
  unit_id: string | null;
  active: boolean;
  created_by: string;
  created_at: Date;
  deactivated_by: string | null;
  deactivated_at: Date | null;
  personal_data_granted_by: string | null;
  personal_data_granted_at: Date | null;
  personal_data_reason: string | null;
}

const COLUMNS = `subscription_id, target_url, event_types, description, province, range, district, unit_id, active, created_by, created_at, deactivated_by,
  deactivated_at, personal_data_granted_by, personal_data_granted_at, personal_data_reason`;

export const isAdmin = (principal: Principal): boolean => principal.roles.includes('ADMIN');

/** An integration sees only what it created; ADMIN sees everything. Anything else is "not found". */
export const ownerFilter = (principal: Principal): string | undefined => (isAdmin(principal) ? undefined : principal.subject);

export const subscriptionNotFound = (subscriptionId: string): DomainError =>
  new DomainError('not-found', 'webhook.subscription-not-found', `There is no webhook subscription ${subscriptionId} of yours`);

/** The subscriptions table: integrations' configuration, audited by who created and deactivated each and when. */
@Injectable()
export class WebhookSubscriptions implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly targets: WebhookTargets,
    private readonly config: NotificationServiceConfig,
    private readonly secrets: SecretBox,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(WebhookSubscriptions.name);
  }

  /**
   * At start, seals under the current key every secret that is not: stored before secrets were
   * sealed, or sealed under a key being rotated out (WEBHOOK_SECRETS_EXTRA_KEYS). Each row only if
   * still as read. One that no key opens is left as it is, and said so: its deliveries cannot be signed.
   */
  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.dataSource.query<{ subscription_id: string; secret: string }[]>(
      `SELECT subscription_id, secret FROM webhook_subscriptions`,
    );
    for (const { subscription_id: id, secret: stored } of rows) {
      if (!this.secrets.needsSealing(stored, id)) continue;
      let secret: string;
      try {
        secret = this.secrets.open(stored, id);
      } catch {
        this.logger.error({ subscriptionId: id }, 'no configured key opens the secret of this webhook subscription: its deliveries cannot be signed');
        continue;
      }
      await this.dataSource.query(`UPDATE webhook_subscriptions SET secret = $3 WHERE subscription_id = $1 AND secret = $2`, [
        id,
        stored,
        this.secrets.seal(secret, id),
      ]);
    }
  }

  async create(body: CreateWebhookSubscriptionDto, principal: Principal): Promise<CreatedWebhookSubscription> {
    if (!this.config.webhookPlainHttpAllowed && new URL(body.targetUrl).protocol !== 'https:') {
      throw new DomainError(
        'invalid',
        'webhook.https-required',
        'targetUrl must be an https URL: signed events do not travel in clear',
        undefined,
        'targetUrl',
      );
    }
    const refusal = await this.targets.refusal(body.targetUrl);
    if (refusal) throw new DomainError('invalid', 'webhook.target-forbidden', `targetUrl is refused: ${refusal}`, undefined, 'targetUrl');
    const generated = body.secret === undefined ? `whsec_${randomBytes(32).toString('base64')}` : undefined;
    const { scope } = principal;
    const subscriptionId = randomUUID();
    const row = await this.dataSource.transaction(async (manager) => {
      await this.checkQuota(manager, principal.subject);
      const [inserted] = await manager.query<SubscriptionRow[]>(
        `INSERT INTO webhook_subscriptions (subscription_id, target_url, event_types, secret, description, province, range, district, unit_id, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
        [
          subscriptionId,
          body.targetUrl,
          body.eventTypes,
          this.secrets.seal((body.secret ?? generated)!, subscriptionId),
          body.description ?? null,
          scope.province ?? null,
          scope.range ?? null,
          scope.district ?? null,
          scope.unit ?? null,
          principal.subject,
          this.clock.now(),
        ],
      );
      return inserted!;
    });
    return { ...toView(row), ...(generated ? { secret: generated } : {}) };
  }

  /**
   * Each integration holds at most WEBHOOK_MAX_SUBSCRIPTIONS active subscriptions: every one costs a
   * delivery per matching event. A lock per owner makes two creations at once count each other.
   */
  private async checkQuota(manager: EntityManager, owner: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('conduct.webhook-quota:' || $1, 0))`, [owner]);
    const [{ active }] = await manager.query<[{ active: number }]>(
      `SELECT count(*)::int AS active FROM webhook_subscriptions WHERE created_by = $1 AND active`,
      [owner],
    );
    const max = this.config.WEBHOOK_MAX_SUBSCRIPTIONS;
    if (active >= max) {
      throw new DomainError(
        'conflict',
        'webhook.quota-exceeded',
        `You already hold ${active} active subscriptions, the most allowed (${max}): deactivate one first`,
      );
    }
  }

  async list(principal: Principal): Promise<WebhookSubscriptionView[]> {
    const owner = ownerFilter(principal);
    const rows = await this.dataSource.query<SubscriptionRow[]>(
      `SELECT ${COLUMNS} FROM webhook_subscriptions WHERE ($1::text IS NULL OR created_by = $1) ORDER BY created_at DESC, subscription_id`,
      [owner ?? null],
    );
    return rows.map(toView);
  }

  async get(subscriptionId: string, principal: Principal): Promise<WebhookSubscriptionView> {
    const [row] = await this.dataSource.query<SubscriptionRow[]>(
      `SELECT ${COLUMNS} FROM webhook_subscriptions WHERE subscription_id = $1 AND ($2::text IS NULL OR created_by = $2)`,
      [subscriptionId, ownerFilter(principal) ?? null],
    );
    if (!row) throw subscriptionNotFound(subscriptionId);
    return toView(row);
  }

  /** Stops deliveries: nothing new is queued, and pending deliveries stay parked. Repeating it changes nothing. */
  async deactivate(subscriptionId: string, principal: Principal): Promise<WebhookSubscriptionView> {
    const current = await this.get(subscriptionId, principal);
    if (!current.active) return current;
    // TypeORM answers an UPDATE with [rows, affected count].
    const [[row]] = await this.dataSource.query<[SubscriptionRow[], number]>(
      `UPDATE webhook_subscriptions SET active = false, deactivated_by = $2, deactivated_at = $3
        WHERE subscription_id = $1 AND active RETURNING ${COLUMNS}`,
      [subscriptionId, principal.subject, this.clock.now()],
    );
    return row ? toView(row) : this.get(subscriptionId, principal);
  }

  /**
   * ADMIN only (the controller checks): from the next event on, the subscription receives names and
   * addresses; `null` takes the grant back. Deliveries already queued keep the body they were queued with.
   */
  async setPersonalData(subscriptionId: string, grant: { reason: string } | null, principal: Principal): Promise<WebhookSubscriptionView> {
    await this.get(subscriptionId, principal);
    const [[row]] = await this.dataSource.query<[SubscriptionRow[], number]>(
      `UPDATE webhook_subscriptions SET personal_data_granted_by = $2, personal_data_granted_at = $3, personal_data_reason = $4
        WHERE subscription_id = $1 RETURNING ${COLUMNS}`,
      grant ? [subscriptionId, principal.subject, this.clock.now(), grant.reason] : [subscriptionId, null, null, null],
    );
    return toView(row!);
  }
}

function toView(row: SubscriptionRow): WebhookSubscriptionView {
  return {
    subscriptionId: row.subscription_id,
    targetUrl: row.target_url,
    eventTypes: row.event_types,
    description: row.description,
    scope: {
      ...(row.province ? { province: row.province } : {}),
      ...(row.range ? { range: row.range } : {}),
      ...(row.district ? { district: row.district } : {}),
      ...(row.unit_id ? { unit: row.unit_id } : {}),
    },
    active: row.active,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    deactivatedBy: row.deactivated_by,
    deactivatedAt: row.deactivated_at?.toISOString() ?? null,
    personalData:
      row.personal_data_granted_by && row.personal_data_granted_at
        ? { grantedBy: row.personal_data_granted_by, grantedAt: row.personal_data_granted_at.toISOString(), reason: row.personal_data_reason ?? '' }
        : null,
  };
}
