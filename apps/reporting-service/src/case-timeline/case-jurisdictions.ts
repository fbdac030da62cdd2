import { Injectable } from '@nestjs/common';
import { Jurisdiction } from '@conduct/jurisdiction';
import { CaseJurisdictionResolver } from '@conduct/service-runtime';
import { ReadModelStore } from '../generations/read-model-store';
import { jurisdictionOf, officerOf } from './case-timeline.handler';

/** Where a case lies and whom it is about, as the timeline read model knows it: what the access log checks a reader against. */
@Injectable()
export class CaseJurisdictions implements CaseJurisdictionResolver {
  constructor(private readonly store: ReadModelStore) {}

  async caseOf(caseId: string): Promise<{ jurisdiction: Jurisdiction; officerServiceNumber?: string } | undefined> {
    const rows = await this.store.read((manager) =>
      manager.query<(Parameters<typeof jurisdictionOf>[1][number] & Parameters<typeof officerOf>[1][number])[]>(
        `SELECT stream_id, jurisdiction, data FROM case_timeline WHERE case_id = $1`,
        [caseId],
      ),
    );
    const jurisdiction = jurisdictionOf(caseId, rows);
    const officer = officerOf(caseId, rows);
    return jurisdiction ? { jurisdiction, ...(officer ? { officerServiceNumber: officer } : {}) } : undefined;
  }
}
