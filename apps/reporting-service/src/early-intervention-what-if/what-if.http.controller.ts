import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { Clock, CLOCK } from '@conduct/event-sourcing';
import { Positions, readPositions } from '../generations/generations';
import { ReadModelStore } from '../generations/read-model-store';
import { ReportRequest, withFilters } from '../reports/report-scope';
import { EarlyInterventionWhatIfDto } from './what-if.dto';
import { earlyInterventionWhatIf, FindingStep, RaisedFlag, WhatIfAnswer } from './what-if';

/**
 * Headquarters tries a threshold before proposing it for the policy pack: which officers in its
 * scope it would flag, and which flags already raised it would not have. It writes nothing: no
 * flag, no event, no notice. Officers appear by service number only.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('early-intervention')
export class EarlyInterventionWhatIfController {
  constructor(
    private readonly store: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('what-if')
  @HttpCode(200)
  @Roles('HQ_ANALYST', 'ADMIN')
  @ApiOperation({
    summary: 'Which officers a proposed early-intervention threshold would flag as of a date, and which flags would lapse; writes nothing',
  })
  @ApiOkResponse({
    description: 'The officers flagged (and whether a flag already names them), the flags that would lapse, and the offsets the history reflects',
  })
  async whatIf(
    @Body() body: EarlyInterventionWhatIfDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WhatIfAnswer & { generatedAt: string; positions: Positions }> {
    const now = this.clock.now();
    const asOf = body.asOf ?? now.toISOString();
    const request = new ReportRequest(principal.scope, {}, now);
    const { steps, flags, positions } = await this.store.read(async (manager) => {
      const sql = <Row>(text: string, values: unknown[]) => manager.query<Row[]>(text, values);
      const history = await withFilters<{
        service_number: string;
        case_id: string;
        type: FindingStep['type'];
        at: Date;
        detail: FindingStep['detail'];
      }>(
        sql,
        request.where('h').compare('h.at', '<=', asOf).where(`h.type IN ('FindingRecorded', 'AppealDecided', 'CaseReopened')`),
        `SELECT h.service_number, h.case_id, h.type, h.at, h.detail FROM officer_history h {where} ORDER BY h.at, h.event_id`,
      );
      const raised = await withFilters<{ service_number: string; raised_at: Date; case_ids: string[] }>(
        sql,
        request.where('e').compare('e.raised_at', '<=', asOf),
        `SELECT e.service_number, e.raised_at, e.case_ids FROM early_intervention_flags e {where} ORDER BY e.raised_at, e.service_number`,
      );
      return { steps: history, flags: raised, positions: await readPositions(manager) };
    });
    const answer = earlyInterventionWhatIf(
      steps.map((row) => ({ serviceNumber: row.service_number, caseId: row.case_id, type: row.type, at: row.at.toISOString(), detail: row.detail })),
      flags.map((row): RaisedFlag => ({ serviceNumber: row.service_number, raisedAt: row.raised_at.toISOString(), caseIds: row.case_ids })),
      { ...body.threshold },
      asOf,
    );
    return { generatedAt: now.toISOString(), positions, ...answer };
  }
}
