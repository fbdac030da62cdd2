import { Injectable } from '@nestjs/common';
import { caseDecider } from '@conduct/cases-domain';
import { EventStore } from '@conduct/event-store';
import { Jurisdiction } from '@conduct/jurisdiction';
import { CaseJurisdictionResolver } from '@conduct/service-runtime';

/** Where a case lies and whom it is about, from its own events: what the access log checks a reader against. */
@Injectable()
export class CaseJurisdictions implements CaseJurisdictionResolver {
  constructor(private readonly store: EventStore) {}

  async caseOf(caseId: string): Promise<{ jurisdiction: Jurisdiction; officerServiceNumber: string } | undefined> {
    const { state } = await this.store.aggregate(caseId, caseDecider);
    if (state.status === 'none') return undefined;
    return { jurisdiction: state.file.report.jurisdiction, officerServiceNumber: state.file.report.officer.serviceNumber };
  }
}
