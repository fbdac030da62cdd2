import { Injectable } from '@nestjs/common';
import { Principal } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { StreamCommands } from '@conduct/event-sourcing';
import { CASES } from '../case-stream';

/** An approved publication as the matcher records it on a case. */
export interface Publication {
  approvalId: string;
  officialAccountId: string;
  mediaSha256: string;
  publishedAt: string;
}

/** The service itself records coverage: no person acts, and the domain asks no role for it. */
export const COVERAGE_MATCHER: Principal = { subject: 'system:approval-coverage', roles: [], scope: {} };

/**
 * Refusals that mean there is nothing (more) to record: coverage already on the case (a redelivery,
 * or a retry after the inbox transaction rolled back), the case closed meanwhile, or a case this
 * database does not hold (a topic replayed into a fresh database, or shared by test runs).
 */
const SETTLED_REFUSALS: readonly string[] = ['case.coverage-already-recorded', 'case.closed', 'case.not-found'];

/** Runs RecordApprovalCoverage on a case, for the two coverage consumers. */
@Injectable()
export class CoverageRecorder {
  constructor(private readonly streams: StreamCommands) {}

  /** Returns true if the case recorded the coverage now, false if there was nothing to record. */
  async record(caseId: string, publication: Publication, correlationId: string): Promise<boolean> {
    const { approvalId, officialAccountId, mediaSha256, publishedAt } = publication;
    try {
      const changed = await this.streams.of(CASES).execute({ streamId: caseId, principal: COVERAGE_MATCHER, correlationId }, ({ now }) => ({
        type: 'RecordApprovalCoverage',
        data: { approvalId, accountId: officialAccountId, mediaSha256, publishedAt, now },
      }));
      return changed.events.length > 0;
    } catch (error) {
      if (error instanceof DomainError && SETTLED_REFUSALS.includes(error.code)) return false;
      throw error;
    }
  }
}
