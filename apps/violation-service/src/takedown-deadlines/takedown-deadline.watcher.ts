import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { CLOCK, Clock } from '@conduct/service-runtime';
import { CaseCommands } from '../case-commands';
import { ViolationServiceConfig } from '../violation-service.config';

/** The watcher acts as the system, not as a person; events record it as such. */
const SYSTEM: Principal = { subject: 'system:takedown-deadline', roles: [], scope: {} };
const BATCH = 100;

interface DueNotice {
  case_id: string;
  takedown_notice_id: string;
}

/**
 * Records the missed deadline of every pending takedown notice whose due date has passed (SND-6),
 * which escalates the case one level up the chain of command. Durable by construction: the work
 * list is a query over the cases list in PostgreSQL, so a restart simply finds what is still due;
 * the decider refuses a second miss of a notice (and a concurrent one loses on the stream
 * version), so a deadline is never missed twice.
 */
@Injectable()
export class TakedownDeadlineWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: ViolationServiceConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TakedownDeadlineWatcher.name);
  }

  onApplicationBootstrap(): void {
    if (this.config.TAKEDOWN_WATCH_INTERVAL_MS > 0) {
      this.timer = setInterval(
        () => void this.runOnce().catch((error: unknown) => this.logger.error({ err: error }, 'takedown deadline scan failed')),
        this.config.TAKEDOWN_WATCH_INTERVAL_MS,
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One scan: records every deadline due now; returns how many it recorded. Scans never overlap. */
  runOnce(): Promise<number> {
    this.running ??= this.scan().finally(() => (this.running = undefined));
    return this.running;
  }

  private async scan(): Promise<number> {
    const now = this.clock.now();
    let missed = 0;
    // Keyset paging on the case id: each due notice is tried once per scan, so refused rows
    // (removed meanwhile, the list lagging the stream) never hide the rows behind them.
    let after = '';
    for (;;) {
      const due: DueNotice[] = await this.dataSource.query(
        `SELECT case_id, takedown_notice_id FROM cases_list
          WHERE takedown_status = 'pending' AND takedown_due_at <= $1 AND case_id > $2
          ORDER BY case_id LIMIT $3`,
        [now, after, BATCH],
      );
      for (const notice of due) {
        if (await this.recordMiss(notice)) missed += 1;
      }
      const last = due.at(-1);
      if (!last || due.length < BATCH) break;
      after = last.case_id;
    }
    if (missed > 0) this.logger.info({ missed }, 'recorded missed takedown deadlines and escalated the cases');
    return missed;
  }

  private async recordMiss({ case_id: caseId, takedown_notice_id: noticeId }: DueNotice): Promise<boolean> {
    try {
      await this.cases.execute({ caseId, principal: SYSTEM, correlationId: randomUUID() }, ({ now, pack }) => ({
        type: 'RecordMissedTakedownDeadline',
        data: { noticeId, pack: pack(), now },
      }));
      return true;
    } catch (error) {
      // Removed, already missed or closed meanwhile (the list lags the stream by milliseconds).
      if (error instanceof DomainError && (error.kind === 'conflict' || error.kind === 'not-found')) return false;
      throw error;
    }
  }
}
