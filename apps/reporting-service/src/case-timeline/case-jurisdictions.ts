import { Injectable } from '@nestjs/common';
import { Jurisdiction } from '@conduct/jurisdiction';
import { CaseJurisdictionResolver } from '@conduct/service-runtime';
import { ReadModelStore } from '../generations/read-model-store';
import { jurisdictionOf } from './case-timeline.handler';

/** Where a case lies, as the timeline read model knows it: what the access log checks a reader's scope against. */
@Injectable()
export class CaseJurisdictions implements CaseJurisdictionResolver {
  constructor(private readonly store: ReadModelStore) {}

  async jurisdictionOf(caseId: string): Promise<Jurisdiction | undefined> {
    const rows = await this.store.read((manager) => manager.query<Parameters<typeof jurisdictionOf>[1]>(`SELECT stream_id, jurisdiction FROM case_timeline WHERE case_id = $1`, [caseId]));
    return jurisdictionOf(caseId, rows);
  }
}
