import { Command } from '@nestjs/cqrs';
import { Principal } from '@conduct/auth';
import { ReportViolationDto } from './report-violation.dto';

export class ReportViolationCommand extends Command<CaseReported> {
  constructor(
    readonly request: ReportViolationDto,
    readonly principal: Principal,
    readonly correlationId: string,
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}

/** What `POST /cases` answers, the first time and on every repeat with the same key. */
export interface CaseReported {
  caseId: string;
  status: 'open';
  stage: 'investigating';
  version: number;
}
