import { Injectable } from '@nestjs/common';
import { Principal } from '@conduct/auth';
import { caseDecider, ExistingCase } from '@conduct/cases-domain';
import { EventStore } from '@conduct/event-store';
import { scopeCovers } from '@conduct/jurisdiction';
import { caseNotFound } from './case-stream';

/** Who reads cases besides the officer concerned: the roles that act on them (CASE_ROLE_MATRIX). */
const CASE_READERS: readonly string[] = ['IA_INVESTIGATOR', 'APPROVER', 'DISCIPLINARY_AUTHORITY'];

export interface VisibleCase {
  state: ExistingCase;
  version: number;
  /** The reader is the officer the case is about: they get the reduced view (redaction policy). */
  own: boolean;
}

/**
 * Loads a case for a reader. Outside the reader's scope a case does not exist for them (404, not
 * 403); the officer concerned reads their own case, since they may appeal its decisions.
 */
@Injectable()
export class CaseReader {
  constructor(private readonly store: EventStore) {}

  async visible(caseId: string, principal: Principal, asOf?: string): Promise<VisibleCase> {
    const { state, version } = await this.store.aggregate(caseId, caseDecider, asOf ? { asOf } : {});
    if (state.status === 'none') throw caseNotFound(caseId);
    const { jurisdiction, officer } = state.file.report;
    const own = principal.serviceNumber !== undefined && officer.serviceNumber === principal.serviceNumber;
    const reader = principal.roles.some((role) => CASE_READERS.includes(role)) && scopeCovers(principal.scope, jurisdiction);
    if (!own && !reader) throw caseNotFound(caseId);
    return { state, version, own };
  }
}
