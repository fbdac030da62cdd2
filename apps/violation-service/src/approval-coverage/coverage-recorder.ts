import { Injectable, OnModuleInit } from '@nestjs/common';
import { Principal } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { CaseCommands } from '../case-commands';

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

export class CoverageRecorderNotBoundError extends Error {
  constructor() {
    super('The approval coverage recorder has no CaseCommands yet: add ApprovalCoverageLink to the providers');
    this.name = 'CoverageRecorderNotBoundError';
  }
}

/**
 * Runs RecordApprovalCoverage on a case. The inbox handlers are declared with the module, before
 * Nest exists, so the app binds its CaseCommands here at init (ApprovalCoverageLink), before the
 * consumers start.
 */
export class CoverageRecorder {
  private commands?: CaseCommands;

  bind(commands: CaseCommands): void {
    this.commands = commands;
  }

  /** Returns true if the case recorded the coverage now, false if there was nothing to record. */
  async record(caseId: string, publication: Publication, correlationId: string): Promise<boolean> {
    const commands = this.commands;
    if (!commands) throw new CoverageRecorderNotBoundError();
    const { approvalId, officialAccountId, mediaSha256, publishedAt } = publication;
    try {
      const changed = await commands.execute({ caseId, principal: COVERAGE_MATCHER, correlationId }, ({ now }) => ({
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

/** The one recorder of this process; the handlers of both coverage consumers use it. */
export const coverageRecorder = new CoverageRecorder();

/** Binds the app's CaseCommands to the coverage recorder (a provider of AppModule). */
@Injectable()
export class ApprovalCoverageLink implements OnModuleInit {
  constructor(private readonly commands: CaseCommands) {}

  onModuleInit(): void {
    coverageRecorder.bind(this.commands);
  }
}
