import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { CLOCK, Clock } from '@conduct/service-runtime';
import { ApprovalCommands } from '../approval-commands';
import { ApprovalServiceConfig } from '../approval-service.config';

/** The watcher acts as the system, not as a person; events record it as such. */
const SYSTEM: Principal = { subject: 'system:approval-expiry', roles: [], scope: {} };
const BATCH = 100;

/**
 * Expires granted approvals whose validity window has passed without publication. Durable by
 * construction: the work list is a query over the approvals list in PostgreSQL, so a restart
 * simply finds what is still due; the decider refuses a second expiry (and a concurrent one
 * loses on the stream version), so an approval never expires twice.
 */
@Injectable()
export class ApprovalExpiryWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly approvals: ApprovalCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: ApprovalServiceConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ApprovalExpiryWatcher.name);
  }

  onApplicationBootstrap(): void {
    if (this.config.APPROVAL_EXPIRY_INTERVAL_MS > 0) {
      this.timer = setInterval(() => void this.runOnce().catch((error: unknown) => this.logger.error({ err: error }, 'expiry scan failed')), this.config.APPROVAL_EXPIRY_INTERVAL_MS);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One scan: expires every approval due now; returns how many it expired. Scans never overlap. */
  runOnce(): Promise<number> {
    this.running ??= this.scan().finally(() => (this.running = undefined));
    return this.running;
  }

  private async scan(): Promise<number> {
    let expired = 0;
    for (;;) {
      const due: { approval_id: string }[] = await this.dataSource.query(
        `SELECT approval_id FROM approvals_list WHERE status = 'granted' AND valid_until <= $1 ORDER BY valid_until LIMIT $2`,
        [this.clock.now(), BATCH],
      );
      let expiredNow = 0;
      for (const { approval_id: approvalId } of due) {
        try {
          await this.approvals.execute({ approvalId, principal: SYSTEM, correlationId: randomUUID() }, ({ now }) => ({ type: 'ExpireApproval', data: { now } }));
          expiredNow += 1;
        } catch (error) {
          // Published, revoked or expired meanwhile (the list lags the stream by milliseconds).
          if (!(error instanceof DomainError && (error.kind === 'conflict' || error.kind === 'not-found'))) throw error;
        }
      }
      expired += expiredNow;
      // Rows expired here leave the list once their events come back through Kafka: stop when a
      // batch made no progress instead of reading the same rows again.
      if (due.length < BATCH || expiredNow === 0) break;
    }
    if (expired > 0) this.logger.info({ expired }, 'expired approvals whose validity window passed');
    return expired;
  }
}
