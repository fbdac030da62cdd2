import { IQueryHandler, QueryHandler, Query } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Principal, redactFor } from '@conduct/auth';
import { Filters, Page } from '@conduct/queries';
import { CasesListQueryDto } from './cases-list.dto';

export class CasesListQuery extends Query<CasesPage> {
  constructor(
    readonly filters: CasesListQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

export interface CaseSummary {
  caseId: string;
  officer: { serviceNumber: string; name: string; rank: string; unitId: string };
  jurisdiction: { province: string; range: string | null; district: string | null; unitId: string | null };
  platform: string;
  clauses: string[];
  status: string;
  stage: string;
  investigatorId: string | null;
  takedown: { noticeId: string; status: string; dueAt: string; removedAt: string | null; overdue: boolean } | null;
  /** Due process before a major penalty, once a show-cause notice is served: the reply awaited, received or lapsed, and the hearing. */
  showCause: { showCauseId: string; reply: string; replyDueAt: string; hearingHeldAt: string | null } | null;
  escalationLevel: string;
  /** Brought in from legacy records (npm run import:cases). */
  imported: boolean;
  findingOutcome: string | null;
  sanction: string | null;
  reportedAt: string;
  closedAt: string | null;
  version: number;
}

/** `redacted`: fields left out (nulled) for this reader by the redaction policy; absent when none. */
export type CasesPage = Page<CaseSummary> & { redacted?: string[] };

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
  investigator_id: string | null;
  takedown_notice_id: string | null;
  takedown_status: string | null;
  takedown_due_at: Date | null;
  takedown_removed_at: Date | null;
  takedown_overdue: boolean;
  show_cause_id: string | null;
  show_cause_reply: string | null;
  show_cause_reply_due_at: Date | null;
  hearing_held_at: Date | null;
  escalation_level: string;
  imported: boolean;
  finding_outcome: string | null;
  sanction: string | null;
  reported_at: Date;
  closed_at: Date | null;
  version: number;
}

@QueryHandler(CasesListQuery)
export class CasesListHandler implements IQueryHandler<CasesListQuery, CasesPage> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ filters, principal }: CasesListQuery): Promise<CasesPage> {
    // An officer lists the cases about themselves, whatever `officer` asks, in the reduced view.
    const ownCasesOnly = principal.roles.every((role) => role === 'OFFICER');
    if (ownCasesOnly && !principal.serviceNumber) return { items: [], page: filters.page, pageSize: filters.pageSize, total: 0 };
    const conditions = new Filters()
      .inScope(principal.scope)
      .equals('status', filters.status)
      .equals('stage', filters.stage)
      .equals('district', filters.district)
      .equals('unit_id', filters.unitId)
      .equals('officer_service_number', ownCasesOnly ? principal.serviceNumber : filters.officer)
      .equals('investigator_id', filters.investigator)
      .equals('takedown_overdue', filters.overdue === undefined ? undefined : filters.overdue === 'true');
    if (filters.clause !== undefined) conditions.where('clauses @> ARRAY[?]::text[]', filters.clause);
    const page = await conditions.page<Row>(this.dataSource.manager, 'cases_list', 'reported_at DESC, case_id', filters);
    // The policy decides what each reader sees, as on every read path (an officer: their own cases, reduced).
    const { value: items, redacted } = redactFor(page.items.map(toSummary), principal, { ownCase: ownCasesOnly });
    return { ...page, items, ...(redacted.length ? { redacted } : {}) };
  }
}

const toSummary = (row: Row): CaseSummary => ({
  caseId: row.case_id,
  officer: { serviceNumber: row.officer_service_number, name: row.officer_name, rank: row.officer_rank, unitId: row.officer_unit_id },
  jurisdiction: { province: row.province, range: row.range, district: row.district, unitId: row.unit_id },
  platform: row.platform,
  clauses: row.clauses,
  status: row.status,
  stage: row.stage,
  investigatorId: row.investigator_id,
  takedown:
    row.takedown_notice_id && row.takedown_status && row.takedown_due_at
      ? {
          noticeId: row.takedown_notice_id,
          status: row.takedown_status,
          dueAt: row.takedown_due_at.toISOString(),
          removedAt: row.takedown_removed_at?.toISOString() ?? null,
          overdue: row.takedown_overdue,
        }
      : null,
  showCause:
    row.show_cause_id && row.show_cause_reply && row.show_cause_reply_due_at
      ? {
          showCauseId: row.show_cause_id,
          reply: row.show_cause_reply,
          replyDueAt: row.show_cause_reply_due_at.toISOString(),
          hearingHeldAt: row.hearing_held_at?.toISOString() ?? null,
        }
      : null,
  escalationLevel: row.escalation_level,
  imported: row.imported,
  findingOutcome: row.finding_outcome,
  sanction: row.sanction,
  reportedAt: row.reported_at.toISOString(),
  closedAt: row.closed_at?.toISOString() ?? null,
  version: row.version,
});
