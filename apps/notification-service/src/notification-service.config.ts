import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { localDevelopmentKey } from '@conduct/auth';
import { BaseServiceConfig, commaSeparated, ConfigProblem } from '@conduct/config';

const toNumberList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((item) => Number(item.trim())) : value;

export class NotificationServiceConfig extends BaseServiceConfig {
  /** Where notices are mailed; `npm start` runs a local catcher on 1025. */
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  MAIL_FROM = 'Conduct <conduct@police.local>';

  /** Pooled SMTP connections kept open. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  SMTP_POOL_SIZE = 5;

  /** Attempts of one notice before it is recorded as failed for good. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  NOTICE_MAX_ATTEMPTS = 5;

  /** First pause after a failed send; doubles each attempt. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  NOTICE_RETRY_BASE_MS = 5_000;

  /** Reminders before a takedown notice's due date and a show-cause notice's reply deadline, in hours (0 = at the due date). */
  @Transform(toNumberList)
  @IsArray({ message: 'REMINDER_OFFSETS_HOURS must be a comma-separated list of hours, e.g. 48,24,0' })
  @IsInt({ each: true, message: 'REMINDER_OFFSETS_HOURS must be whole hours' })
  @Min(0, { each: true })
  @Max(24 * 30, { each: true })
  REMINDER_OFFSETS_HOURS: number[] = [48, 24, 0];

  /**
   * Events recorded longer ago than this, when the service learns of them, notify nobody: a new or
   * reset notification-service reading the topics from the beginning must not mail years of
   * history. 0 = no limit.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(24 * 365)
  NOTICE_MAX_EVENT_AGE_HOURS = 72;

  /** How often due notices and webhook deliveries are looked for; 0 turns the dispatchers off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DISPATCH_INTERVAL_MS = 1_000;

  /** A seed file of recipient directory entries loaded on start (JSON; see docs). */
  @IsOptional()
  @IsString()
  RECIPIENTS_SEED_FILE?: string;

  /** Active webhook subscriptions one integration (token subject) may hold; ADMINs included. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  WEBHOOK_MAX_SUBSCRIPTIONS = 20;

  /** Attempts of one webhook delivery before it is parked as dead. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  WEBHOOK_MAX_ATTEMPTS = 8;

  /** First backoff after a failed delivery; doubles each attempt, with full jitter, up to WEBHOOK_RETRY_MAX_MS. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS = 2_000;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  WEBHOOK_RETRY_MAX_MS = 3_600_000;

  /**
   * How long a claimed notice is this dispatcher's: longer than the mail sender's timeouts allow a
   * send to take (connection 10 s, greeting 10 s, socket idle 30 s), so only a dead or frozen
   * process loses its lease, and another replica then sends the notice again. Shorter is quicker
   * to recover a killed replica's notices but risks a second send (same Message-ID) of a slow one.
   */
  @Type(() => Number)
  @IsInt()
  @Min(5_000)
  @Max(3_600_000)
  NOTICE_LEASE_MS = 120_000;

  /**
   * Networks webhooks may reach although they are loopback, private or link-local (CIDRs,
   * comma-separated): a local run's receiver on 127.0.0.0/8, an integration inside the force's
   * network. Everything else of those ranges is refused, when subscribing and when connecting.
   */
  @Transform(commaSeparated)
  @IsArray()
  @Matches(/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/, {
    each: true,
    message: 'WEBHOOK_ALLOWED_NETWORKS must be a comma-separated list of networks, e.g. 127.0.0.0/8,::1/128',
  })
  WEBHOOK_ALLOWED_NETWORKS: string[] = [];

  /** Whether webhooks may target plain http: (default: yes outside production, no in production, which refuses yes). */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_HTTP must be true or false' })
  WEBHOOK_ALLOW_HTTP?: 'true' | 'false';

  get webhookPlainHttpAllowed(): boolean {
    return this.WEBHOOK_ALLOW_HTTP === undefined ? !this.production : this.WEBHOOK_ALLOW_HTTP === 'true';
  }

  /**
   * The key that seals webhook secrets at rest (AES-256-GCM): the base64 of 32 random bytes, e.g.
   * `openssl rand -base64 32`. Required in production; elsewhere a local key in `.cache/keys/`.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'WEBHOOK_SECRETS_KEY must be the base64 of 32 random bytes (openssl rand -base64 32)' })
  WEBHOOK_SECRETS_KEY?: string;

  webhookSecretsKey(): Buffer {
    return this.WEBHOOK_SECRETS_KEY ? Buffer.from(this.WEBHOOK_SECRETS_KEY, 'base64') : localDevelopmentKey('webhook-secrets.key', 32);
  }

  /**
   * Keys that open webhook secrets but never seal one, while the key rotates (docs/operations.md):
   * comma-separated, each the base64 of 32 bytes. At start, secrets only these open are sealed
   * again under WEBHOOK_SECRETS_KEY.
   */
  @IsOptional()
  @Transform(commaSeparated)
  @IsArray({ message: 'WEBHOOK_SECRETS_EXTRA_KEYS must be a comma-separated list of keys' })
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    each: true,
    message: 'WEBHOOK_SECRETS_EXTRA_KEYS must hold base64 keys of 32 bytes, comma-separated (openssl rand -base64 32)',
  })
  WEBHOOK_SECRETS_EXTRA_KEYS: string[] = [];

  webhookSecretsExtraKeys(): Buffer[] {
    return this.WEBHOOK_SECRETS_EXTRA_KEYS.map((key) => Buffer.from(key, 'base64'));
  }

  override productionProblems(): ConfigProblem[] {
    const problems = super.productionProblems();
    if (this.production && this.WEBHOOK_ALLOW_HTTP === 'true') {
      problems.push({
        variable: 'WEBHOOK_ALLOW_HTTP',
        reason: 'WEBHOOK_ALLOW_HTTP=true sends signed events over plain http: production requires https targets',
      });
    }
    if (this.production && !this.WEBHOOK_SECRETS_KEY) {
      problems.push({
        variable: 'WEBHOOK_SECRETS_KEY',
        reason: 'production needs its own key to seal webhook secrets at rest (openssl rand -base64 32)',
      });
    }
    return problems;
  }

  /** A receiver that does not answer in this time has failed the attempt. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 5_000;
}
