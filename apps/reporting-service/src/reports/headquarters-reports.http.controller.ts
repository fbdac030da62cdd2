import { ServerResponse } from 'node:http';
import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { AccessAudited } from '@conduct/service-runtime';
import { HeadquartersReports } from './headquarters-reports';
import {
  approvalsSummaryReport,
  casesReport,
  officersReport,
  ReportDefinition,
  sanctionsReport,
  takedownsReport,
  trendReport,
} from './report-definitions';
import { ReportQueryDto } from './report-query.dto';
import { ApprovalsReportView, CasesReportView, OfficersReportView, SanctionsReportView, TakedownsReportView, TrendReportView } from './report-views';

/** A report's 200: its JSON schema, or the CSV (a comment block, then a header row and rows). */
const ApiReportResponse = (view: Type, description: string) =>
  applyDecorators(
    ApiExtraModels(view),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(view) } },
        'text/csv': { schema: { type: 'string', description: '`# key: value` comment lines, then a header row and one row per line' } },
      },
    }),
  );

/** Names the read-model generation a report was read from (the active one, or `?generation=`). */
export const READ_MODEL_GENERATION_HEADER = 'Conduct-Read-Model-Generation';

/**
 * The headquarters reports: each as JSON or CSV (`format=csv` or `Accept: text/csv`), within the
 * caller's scope first and then the filters, stamped with the topic offsets it reflects.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@ApiNotFoundResponse({ description: '`generation` names no read-model generation' })
@ApiUnprocessableEntityResponse({ description: '`to` not after `from`, or `generation` is still being built' })
@AccessAudited('report.csv', { csvOnly: true })
@Controller('reports')
export class HeadquartersReportsController {
  constructor(private readonly reports: HeadquartersReports) {}

  @Get('cases')
  @Roles('HQ_ANALYST', 'ADMIN')
  @ApiOperation({ summary: 'Cases opened and closed in the period, by status and by clause' })
  @ApiReportResponse(CasesReportView, 'Opened, closed, opened by status, opened and closed by clause')
  cases(
    @Query() query: ReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ) {
    return this.send(casesReport, query, principal, accept, response);
  }

  @Get('takedowns')
  @Roles('HQ_ANALYST', 'ADMIN')
  @ApiOperation({ summary: 'Takedown compliance: share removed within the deadline, median time to removal, overdue now' })
  @ApiReportResponse(TakedownsReportView, 'Takedown notices served in the period and what became of them')
  takedowns(
    @Query() query: ReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ) {
    return this.send(takedownsReport, query, principal, accept, response);
  }

  @Get('approvals/summary')
  @Roles('HQ_ANALYST', 'ADMIN')
  @ApiOperation({ summary: 'Approval requests in the period: grant rate, median time to decision, refused publication attempts' })
  @ApiReportResponse(ApprovalsReportView, 'Approval requests made in the period and what became of them')
  approvals(
    @Query() query: ReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ) {
    return this.send(approvalsSummaryReport, query, principal, accept, response);
  }

  @Get('sanctions')
  @Roles('HQ_ANALYST', 'ADMIN')
  @ApiOperation({ summary: 'Sanctions imposed in the period by type, and what stands after appeal' })
  @ApiReportResponse(SanctionsReportView, 'Sanctions by type')
  sanctions(
    @Query() query: ReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ) {
    return this.send(sanctionsReport, query, principal, accept, response);
  }

  @Get('officers')
  @Roles('HQ_ANALYST', 'ADMIN')
  @ApiOperation({ summary: 'Repeat offenders (two cases or two substantiated findings in the period) and early-intervention flags' })
  @ApiReportResponse(OfficersReportView, 'Officers by service number; names only for roles allowed to see them')
  officers(
    @Query() query: ReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ) {
    return this.send(officersReport, query, principal, accept, response);
  }

  @Get('trend')
  @Roles('HQ_ANALYST', 'ADMIN')
  @ApiOperation({ summary: 'Month by month: cases opened and closed, takedown compliance, approvals requested and granted, sanctions' })
  @ApiReportResponse(TrendReportView, 'One line per month, with no gaps')
  trend(
    @Query() query: ReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ) {
    return this.send(trendReport, query, principal, accept, response);
  }

  private async send<Figures extends object>(
    definition: ReportDefinition<Figures>,
    query: ReportQueryDto,
    principal: Principal,
    accept: string | undefined,
    response: ServerResponse,
  ): Promise<string | object> {
    const rendered = await this.reports.render(definition, query, principal, accept);
    response.setHeader('Content-Type', rendered.contentType);
    response.setHeader(READ_MODEL_GENERATION_HEADER, String(rendered.generation));
    if (rendered.fileName) response.setHeader('Content-Disposition', `attachment; filename="${rendered.fileName}"`);
    return rendered.body;
  }
}
