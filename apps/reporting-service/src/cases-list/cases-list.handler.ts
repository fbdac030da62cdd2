import { redactFor } from '@conduct/auth';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock, CLOCK } from '@conduct/event-sourcing';
import { DomainError } from '@conduct/decider';
import { Filters } from '@conduct/queries';
import { decodeCaseCursor, encodeCaseCursor } from './case-cursor';
import { casesAfter, CaseRow, casesPage, Listed } from './case-pages';
import { ReadModelStore } from '../generations/read-model-store';
import { CaseListItem, CasesList, CasesListQuery } from './cases-list.query';

@QueryHandler(CasesListQuery)
export class CasesListHandler implements IQueryHandler<CasesListQuery, CasesList> {
  constructor(
    private readonly store: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ filters, principal }: CasesListQuery): Promise<CasesList> {
    const now = this.clock.now();
    const overdue = `takedown_removed_at IS NULL AND takedown_due_at <= ?`;
    const where = new Filters()
      .inScope(principal.scope)
      .equals('province', filters.province)
      .equals('range', filters.range)
      .equals('district', filters.district)
      .equals('unit_id', filters.unitId)
      .equals('status', filters.status)
      .equals('stage', filters.stage)
      .equals('officer_service_number', filters.officer)
      .compare('reported_at', '>=', filters.from)
      .compare('reported_at', '<', filters.to);
    if (filters.clause !== undefined) where.where('? = ANY (clauses)', filters.clause);
    if (filters.overdue === 'true') where.where(overdue, now);
    if (filters.overdue === 'false') where.where(`NOT (${overdue}) OR takedown_due_at IS NULL`, now);
    if (filters.after !== undefined && filters.page !== 1) {
      throw new DomainError('invalid', 'cases.page-and-after', 'give `page` or `after`, not both', undefined, 'page');
    }
    const listed = await this.store.read<Listed>((manager) =>
      filters.after === undefined
        ? casesPage(manager, where, filters.page, filters.pageSize)
        : casesAfter(manager, where, decodeCaseCursor(filters.after), filters.pageSize),
    );
    const { value: items, redacted } = redactFor(
      listed.rows.map((row) => toItem(row, now)),
      principal,
    );
    const last = listed.rows.at(-1);
    const nextCursor = listed.more && last ? encodeCaseCursor({ reportedAt: last.position, caseId: last.case_id }) : null;
    const page =
      listed.total === undefined
        ? { items, pageSize: filters.pageSize }
        : { items, page: filters.page, pageSize: filters.pageSize, total: listed.total };
    return { ...page, nextCursor, ...(redacted.length ? { redacted } : {}) };
  }
}

function toItem(row: CaseRow, now: Date): CaseListItem {
  return {
    caseId: row.case_id,
    officer: {
      serviceNumber: row.officer_service_number,
      name: row.officer_name,
      rank: row.officer_rank,
      unitId: row.officer_unit_id,
    },
    jurisdiction: { province: row.province, range: row.range, district: row.district, unitId: row.unit_id },
    platform: row.platform,
    clauses: row.clauses,
    status: row.status,
    stage: row.stage,
    reportedAt: row.reported_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    takedown:
      row.takedown_notice_id && row.takedown_due_at
        ? {
            noticeId: row.takedown_notice_id,
            dueAt: row.takedown_due_at.toISOString(),
            removedAt: row.takedown_removed_at?.toISOString() ?? null,
            overdue: row.takedown_removed_at === null && row.takedown_due_at.getTime() <= now.getTime(),
          }
        : null,
    findingOutcome: row.finding_outcome,
    sanction: row.sanction,
  };
}
