import { Query } from '@nestjs/cqrs';
import { Principal } from '@conduct/auth';
import { Page } from '@conduct/queries';
import { CasesListQueryDto } from './cases-list.dto';

export class CasesListQuery extends Query<CasesList> {
  constructor(
    readonly filters: CasesListQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

export interface CaseListItem {
  caseId: string;
  /** `name` is null for roles not allowed to see officers' names. */
  officer: { serviceNumber: string; name: string | null; rank: string; unitId: string };
  jurisdiction: { province: string; range: string | null; district: string | null; unitId: string | null };
  platform: string;
  clauses: string[];
  status: string;
  stage: string;
  reportedAt: string;
  closedAt: string | null;
  takedown: { noticeId: string; dueAt: string; removedAt: string | null; overdue: boolean } | null;
  findingOutcome: string | null;
  sanction: string | null;
}

/**
 * A page of cases: by number (`page`, with `total`) or after a cursor (`after`: neither). Both
 * carry `nextCursor`, the position after the last item (null on the last page), for `?after=`.
 * `redacted`: the fields left out (nulled) for this reader, e.g. `[].officer.name`; absent when none.
 */
export type CasesList = (Page<CaseListItem> | { items: CaseListItem[]; pageSize: number }) & { nextCursor: string | null; redacted?: string[] };
