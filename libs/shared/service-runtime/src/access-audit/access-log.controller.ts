import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { Jurisdiction, scopeCovers } from '@conduct/jurisdiction';
import { Filters, Page, PageQueryDto } from '@conduct/queries';
import { AccessAction } from './access-audit';

/** Where a case lies and whom it is about, for the service that answers the access log; undefined when it has no such case. */
export interface CaseJurisdictionResolver {
  caseOf(caseId: string): Promise<{ jurisdiction: Jurisdiction; officerServiceNumber?: string } | undefined>;
}

export const CASE_JURISDICTION = Symbol('CASE_JURISDICTION');

const ACTIONS: AccessAction[] = ['case.read', 'case.events', 'case.timeline', 'case.dossier', 'report.csv'];

export class AccessLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Reads of this case (required unless you are a national ADMIN)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  caseId?: string;

  @ApiPropertyOptional({ description: 'Reads by this subject (the token `sub`)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;

  @ApiPropertyOptional({ enum: ACTIONS })
  @IsOptional()
  @IsIn(ACTIONS)
  action?: AccessAction;

  @ApiPropertyOptional({ description: 'From this instant (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Before this instant (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export interface AccessRecord {
  accessedAt: string;
  subject: string;
  roles: string[];
  scope: Record<string, string>;
  action: string;
  caseId: string | null;
  resource: string;
  correlationId: string | null;
}

interface AccessRow {
  accessed_at: Date;
  subject: string;
  roles: string[];
  scope: Record<string, string>;
  action: string;
  case_id: string | null;
  resource: string;
  correlation_id: string | null;
}

/**
 * "Who looked at this file": this service's access log. A national ADMIN may query all of it;
 * an IA investigator, or an ADMIN with a scope, the reads of one case in their scope (`caseId`)
 * that is not about themselves.
 */
@ApiTags('access-log')
@ApiBearerAuth()
@Roles('ADMIN', 'IA_INVESTIGATOR')
@Controller('access-log')
export class AccessLogController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CASE_JURISDICTION) private readonly cases: CaseJurisdictionResolver,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Reads and exports of cases on this service, newest first: who, when, what, from which scope' })
  @ApiOkResponse({ description: 'A page of access records' })
  async list(@Query() query: AccessLogQueryDto, @CurrentPrincipal() principal: Principal): Promise<Page<AccessRecord>> {
    const nationalAdmin = principal.roles.includes('ADMIN') && Object.keys(principal.scope).length === 0;
    if (!nationalAdmin) {
      if (query.caseId === undefined) {
        throw new DomainError(
          'invalid',
          'access-log.case-required',
          'Name the case whose reads you want (caseId): only a national ADMIN may query the whole log',
          undefined,
          'caseId',
        );
      }
      const found = await this.cases.caseOf(query.caseId);
      // A case outside the caller's scope does not exist for them, as everywhere else.
      if (!found || !scopeCovers(principal.scope, found.jurisdiction))
        throw new DomainError('not-found', 'case.not-found', `No case ${query.caseId} in your scope`);
      // Nobody works a case about themselves, nor watches who reads it.
      if (principal.serviceNumber !== undefined && principal.serviceNumber === found.officerServiceNumber) {
        throw new DomainError('forbidden', 'case.own-case', 'Nobody may query the access log of a case about themselves');
      }
    }
    const filters = new Filters()
      .equals('case_id', query.caseId)
      .equals('subject', query.subject)
      .equals('action', query.action)
      .compare('accessed_at', '>=', query.from)
      .compare('accessed_at', '<', query.to);
    const page = await filters.page<AccessRow>(this.dataSource.manager, 'access_log', 'accessed_at DESC, access_id DESC', query);
    return { ...page, items: page.items.map(toRecord) };
  }
}

const toRecord = (row: AccessRow): AccessRecord => ({
  accessedAt: row.accessed_at.toISOString(),
  subject: row.subject,
  roles: row.roles,
  scope: row.scope,
  action: row.action,
  caseId: row.case_id,
  resource: row.resource,
  correlationId: row.correlation_id,
});
