import { redactFor } from '@conduct/auth';
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Clock, CLOCK } from '@conduct/event-sourcing';
import { Filters } from '@conduct/queries';
import { ReadModelStore } from '../generations/read-model-store';
import { CaseListItem, CasesList, CasesListQuery } from './cases-list.query';

interface Row {
  case_id: string;
  officer_service_number: string;
  officer_name: string;
  officer_rank: string;
  officer_unit_id: string;
  province: string;
  range: string | null;
  district: string | null;
  unit_id: string | null;
  platform: string;
  clauses: string[];
  status: string;
  stage: string;
  reported_at: Date;
  closed_at: Date | null;
  takedown_notice_id: string | null;
  takedown_due_at: Date | null;
  takedown_removed_at: Date | null;
  finding_outcome: string | null;
  sanction: string | null;
}

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
    const page = await this.store.read((manager) => where.page<Row>(manager, 'cases', 'reported_at DESC, case_id', filters));
    const { value: items, redacted } = redactFor(
      page.items.map((row) => toItem(row, now)),
      principal,
    );
    return { ...page, items, ...(redacted.length ? { redacted } : {}) };
  }
}

function toItem(row: Row, now: Date): CaseListItem {
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
