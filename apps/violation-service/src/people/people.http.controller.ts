import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@conduct/auth';
import { IdParam, KeyedStreamCommand, StreamCommandContext, StreamIdFormat } from '@conduct/http';
import { ReasonsDto } from '../reasons.dto';
import { OfficerRecords, OfficerRecordView } from './officer-records';

/** A service number in a path (URL-encoded where it needs to be): whatever a report may name, 1–64 characters, no control character. */
const SERVICE_NUMBER: StreamIdFormat = {
  parameter: 'serviceNumber',
  // eslint-disable-next-line no-control-regex
  pattern: /^[^\x00-\x1f\x7f]{1,64}$/,
  reason: 'must be 1 to 64 characters, none of them a control character',
};

/** Every answer names the person and the officer stream's new version (also the ETag). */
const versioned = <T extends { version: number }>(response: ServerResponse, serviceNumber: string, answer: T): T & { serviceNumber: string } => {
  response.setHeader('ETag', `"${answer.version}"`);
  return { serviceNumber, ...answer };
};

/**
 * A person's data (docs/privacy.md): legal holds and erasure by deleting their key, for a national
 * administrator, each recorded on the officer's stream with who, when and why.
 */
@ApiTags('people')
@ApiBearerAuth()
@Roles('ADMIN')
@ApiForbiddenResponse({ description: 'Not a national administrator' })
@Controller('people/:serviceNumber')
export class PeopleController {
  constructor(private readonly records: OfficerRecords) {}

  @Get()
  @ApiOperation({ summary: "A person's record: legal holds standing, erasures recorded, cases still open (ETag = version)" })
  @ApiOkResponse({ description: '{ serviceNumber, holds, erasures, openCaseIds, version }' })
  async read(
    @KeyedStreamCommand(SERVICE_NUMBER) { streamId, principal }: StreamCommandContext,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OfficerRecordView> {
    return versioned(response, streamId, await this.records.read(streamId, principal));
  }

  @Post('legal-holds')
  @HttpCode(201)
  @ApiOperation({
    summary: "Place a legal hold on a person's data, with reasons: no erasure, by request or by retention, while it stands",
    description: 'Appends LegalHoldPlaced on the officer stream (conduct.cases.v1, key = service number).',
  })
  @ApiCreatedResponse({ description: '{ serviceNumber, holdId, version }' })
  async placeHold(
    @KeyedStreamCommand(SERVICE_NUMBER) command: StreamCommandContext,
    @Body() body: ReasonsDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<{ serviceNumber: string; holdId: string; version: number }> {
    return versioned(response, command.streamId, await this.records.placeHold(command, body.reasons));
  }

  @Post('legal-holds/:holdId/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release a legal hold, with reasons', description: 'Appends LegalHoldReleased. 404 if no such hold stands.' })
  @ApiOkResponse({ description: '{ serviceNumber, holdId, version }' })
  async releaseHold(
    @KeyedStreamCommand(SERVICE_NUMBER) command: StreamCommandContext,
    @IdParam('holdId') holdId: string,
    @Body() body: ReasonsDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<{ serviceNumber: string; holdId: string; version: number }> {
    return versioned(response, command.streamId, { holdId, ...(await this.records.releaseHold(command, holdId, body.reasons)) });
  }

  @Post('erasure')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Erase a person's personal data, with reasons: their key is deleted, so every read, report, timeline, dossier and webhook shows [erased]",
    description:
      'Appends PersonalDataErased, then deletes every key of the person; every hash chain still verifies (the events hash the sealed values). ' +
      '409 `officer-record.open-cases` while a case about them is open, `officer-record.legal-hold` while a hold stands.',
  })
  @ApiOkResponse({
    description:
      '{ serviceNumber, erasedAt, keysDeleted, plainTextReports, version }: plainTextReports counts reports recorded before per-person keys, whose name stays in plain text',
  })
  @ApiConflictResponse({ description: 'A case about the person is open, or a legal hold stands' })
  async erase(
    @KeyedStreamCommand(SERVICE_NUMBER) command: StreamCommandContext,
    @Body() body: ReasonsDto,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<{ serviceNumber: string; erasedAt: string; keysDeleted: number; plainTextReports: number; version: number }> {
    return versioned(response, command.streamId, await this.records.erase(command, body.reasons));
  }
}
