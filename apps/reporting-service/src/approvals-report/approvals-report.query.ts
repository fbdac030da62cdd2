import { Query } from '@nestjs/cqrs';
import { Scope } from '@conduct/jurisdiction';
import { ApprovalsReportQueryDto } from './approvals-report.dto';

export class ApprovalsReportQuery extends Query<ApprovalsReport> {
  constructor(
    readonly filters: ApprovalsReportQueryDto,
    readonly scope: Scope,
  ) {
    super();
  }
}

export interface ApprovalsReportRow {
  approvalId: string;
  requesterId: string;
  jurisdiction: { province: string; range: string | null; district: string | null; unitId: string };
  platform: string;
  officialAccountId: string;
  title: string;
  features: string[];
  status: string;
  requestedAt: string;
  decidedAt: string | null;
  publishedAt: string | null;
  refusedPublications: number;
}

export interface ApprovalsReport {
  items: ApprovalsReportRow[];
  page: number;
  pageSize: number;
  total: number;
}
