import { randomUUID } from 'node:crypto';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { ViolationServiceConfig } from '../violation-service.config';
import { OfficerRecords } from './officer-records';

/** Who erases by the retention schedule: the service itself, as events record it. */
export const RETENTION_PRINCIPAL: Principal = { subject: 'system:retention', roles: ['ADMIN'], scope: {} };

/** One officer the schedule reaches: every case about them closed before the cut-off. */
export interface RetentionCandidate {
  serviceNumber: string;
  lastClosedAt: string;
}

export interface RetentionRun {
  dryRun: boolean;
  asOf: string;
  /** Cases closed before this have passed their retention period. */
  cutoff: string;
  /** Erased by this run (or, in a dry run, that would be). */
  erased: RetentionCandidate[];
  /** Past the period but a legal hold stands: kept. */
  held: (RetentionCandidate & { holdIds: string[] })[];
}

/**
 * The retention schedule of closed cases (docs/privacy.md), enforced by the same shredding as an
 * erasure on request: an officer whose cases are all closed, the last more than
 * RETENTION_CLOSED_CASE_YEARS ago, has their key deleted (PersonalDataErased, basis `retention`),
 * unless a legal hold stands. Notices and webhook deliveries about a case hold the officer's data
 * sealed under the same key, so they go with it. Runs every RETENTION_INTERVAL_MS (one replica at a
 * time: an advisory lock), and on demand, with a dry run, from POST /retention/runs.
 */
@Injectable()
export class PersonalDataRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: OfficerRecords,
    private readonly config: ViolationServiceConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PersonalDataRetention.name);
  }

  onApplicationBootstrap(): void {
    const every = this.config.RETENTION_INTERVAL_MS;
    if (every === 0) return;
    this.timer = setInterval(() => {
      this.run({ dryRun: false, now: new Date() }).catch((error: unknown) => this.logger.error({ err: error }, 'retention run failed'));
    }, every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run({ dryRun, now }: { dryRun: boolean; now: Date }): Promise<RetentionRun> {
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.config.RETENTION_CLOSED_CASE_YEARS);
    const result: RetentionRun = { dryRun, asOf: now.toISOString(), cutoff: cutoff.toISOString(), erased: [], held: [] };
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_lock(hashtextextended('conduct.retention', 0)) AS locked`)) as [
        { locked: boolean },
      ];
      if (!locked) throw new DomainError('conflict', 'retention.running', 'A retention run is under way on another replica');
      try {
        for (const candidate of await this.candidates(cutoff)) await this.apply(candidate, dryRun, result);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended('conduct.retention', 0))`);
      }
    } finally {
      await runner.release();
    }
    if (!dryRun && result.erased.length > 0) this.logger.info({ erased: result.erased.length, held: result.held.length }, 'retention run erased');
    return result;
  }

  private async candidates(cutoff: Date): Promise<RetentionCandidate[]> {
    const rows = await this.dataSource.query<{ service_number: string; last_closed_at: Date }[]>(
      `SELECT officer_service_number AS service_number, max(closed_at) AS last_closed_at FROM cases_list
        GROUP BY officer_service_number HAVING bool_and(status = 'closed') AND max(closed_at) < $1
        ORDER BY 1`,
      [cutoff],
    );
    return rows.map((row) => ({ serviceNumber: row.service_number, lastClosedAt: row.last_closed_at.toISOString() }));
  }

  private async apply(candidate: RetentionCandidate, dryRun: boolean, result: RetentionRun): Promise<void> {
    const record = await this.records.read(candidate.serviceNumber, RETENTION_PRINCIPAL);
    // Erased since the last case closed: nothing of theirs is left to shred.
    if (record.erasures.some((erasure) => erasure.erasedAt >= candidate.lastClosedAt)) return;
    if (record.holds.length > 0) {
      result.held.push({ ...candidate, holdIds: record.holds.map((hold) => hold.holdId) });
      return;
    }
    if (record.openCaseIds.length > 0) return; // reopened, or reported, since the cases list was read
    if (!dryRun) {
      const reasons = [
        `Retention schedule: every case closed, the last on ${candidate.lastClosedAt.slice(0, 10)}, ` +
          `more than ${this.config.RETENTION_CLOSED_CASE_YEARS} years before ${result.asOf.slice(0, 10)}`,
      ];
      try {
        await this.records.erase(
          { streamId: candidate.serviceNumber, principal: RETENTION_PRINCIPAL, correlationId: randomUUID() },
          reasons,
          'retention',
        );
      } catch (error) {
        // A case opened or a hold placed between the read and the erasure: kept, this run.
        if (error instanceof DomainError && error.kind === 'conflict') return;
        throw error;
      }
    }
    result.erased.push(candidate);
  }
}
