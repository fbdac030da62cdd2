import { Injectable } from '@nestjs/common';
import { caseDecider } from '@conduct/cases-domain';
import { EventStore } from '@conduct/event-store';
import { Jurisdiction } from '@conduct/jurisdiction';
import { CaseJurisdictionResolver } from '@conduct/service-runtime';

/** Where a case lies, from its own events: what the access log checks a reader's scope against. */
@Injectable()
export class CaseJurisdictions implements CaseJurisdictionResolver {
  constructor(private readonly store: EventStore) {}

  async jurisdictionOf(caseId: string): Promise<Jurisdiction | undefined> {
    const { state } = await this.store.aggregate(caseId, caseDecider);
    return state.status === 'none' ? undefined : state.file.report.jurisdiction;
  }
}
