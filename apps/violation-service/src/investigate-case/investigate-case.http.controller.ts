import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { StreamCommand, StreamCommandContext } from '@conduct/http';
import { CaseChangedView, changedView } from '../case-changed.view';
import { AddEvidenceCommand, AddNoteCommand, AssignInvestigatorCommand } from './investigate-case.command';
import { AddEvidenceDto, AddNoteDto, AssignInvestigatorDto } from './investigate-case.dto';

@ApiTags('cases')
@ApiBearerAuth()
@ApiParam({ name: 'caseId', format: 'uuid' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412' })
@Controller('cases/:caseId')
export class InvestigateCaseController {
  constructor(private readonly commands: CommandBus) {}

  @Post('investigator')
  @HttpCode(200)
  @Roles('IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Assign (or replace) the investigator, while the case is investigated' })
  @ApiOkResponse({ type: CaseChangedView })
  async assign(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: AssignInvestigatorDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    return changedView(await this.commands.execute(new AssignInvestigatorCommand(context, body)), response);
  }

  @Post('evidence')
  @HttpCode(201)
  @Roles('IA_INVESTIGATOR')
  @ApiOperation({ summary: 'Add captured evidence (its SHA-256 and archive location); answers its evidenceId' })
  @ApiCreatedResponse({ type: CaseChangedView })
  async addEvidence(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: AddEvidenceDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    const { evidenceId, ...changed } = await this.commands.execute(new AddEvidenceCommand(context, body));
    return changedView(changed, response, { evidenceId });
  }

  @Post('notes')
  @HttpCode(201)
  @Roles('IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Add a note to the case file; answers its noteId' })
  @ApiCreatedResponse({ type: CaseChangedView })
  async addNote(
    @StreamCommand('caseId') context: StreamCommandContext,
    @Body() body: AddNoteDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CaseChangedView> {
    const { noteId, ...changed } = await this.commands.execute(new AddNoteCommand(context, body));
    return changedView(changed, response, { noteId });
  }
}
