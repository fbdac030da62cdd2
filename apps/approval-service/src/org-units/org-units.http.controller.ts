import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Principal, Roles } from '@conduct/auth';
import { DomainError } from '@conduct/decider';
import { placementOf } from '@conduct/jurisdiction';
import { CorrelationId, IfMatch } from '@conduct/http';
import { MoveUnitDto, OrgUnitDetails, OrgUnitDto, UnitChanged, UnitsList, UnitsQueryDto } from './org-units.dto';
import { orgUnitOf, unitInScope, UnitRegistry } from './unit-registry';

/** A unit id in a path: what a body may carry (1–64 characters). */
function unitIdOf(value: string): string {
  if (value.length === 0 || value.length > 64) {
    throw new BadRequestException({
      message: 'unitId must be 1 to 64 characters',
      code: 'request.bad-id',
      errors: [{ field: 'unitId', reason: 'must be 1 to 64 characters' }],
    });
  }
  return value;
}

const notFound = (unitId: string) => new DomainError('not-found', 'org-unit.not-found', `No unit ${unitId} in your scope`);

/**
 * The hierarchy registry: every caller may read the units in their scope (requests must name one);
 * administrators register and move units, each edit recorded as an event with who made it.
 */
@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class OrgUnitsController {
  constructor(private readonly registry: UnitRegistry) {}

  @Get()
  @ApiOperation({ summary: 'The units of the hierarchy in your scope, where each lies now (province → range → district → unit)' })
  @ApiOkResponse({ type: UnitsList })
  async list(@Query() query: UnitsQueryDto, @CurrentPrincipal() principal: Principal): Promise<UnitsList> {
    return { items: await this.registry.list(principal.scope, query) };
  }

  @Get(':unitId')
  @ApiOperation({ summary: 'One unit where it lies now, with every edit that put it there (ETag = version); outside your scope 404' })
  @ApiOkResponse({ type: OrgUnitDetails })
  async get(
    @Param('unitId') unitId: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OrgUnitDetails> {
    const found = await this.registry.find(unitIdOf(unitId));
    if (!found || !unitInScope(principal.scope, found.unit)) throw notFound(unitId);
    response.setHeader('ETag', `"${found.version}"`);
    return found;
  }

  @Post()
  @HttpCode(201)
  @Roles('ADMIN')
  @ApiOperation({
    summary: 'Register a unit in the hierarchy (ADMIN, inside your scope)',
    description: 'Appends UnitRegistered, published on conduct.approvals.v1. 409 if the unit id is taken; a district needs its range (422).',
  })
  @ApiCreatedResponse({ type: UnitChanged })
  async register(
    @Body() body: OrgUnitDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<UnitChanged> {
    const version = await this.registry.register(orgUnitOf(body), { principal, correlationId });
    response.setHeader('Location', `/units/${encodeURIComponent(body.unitId)}`);
    response.setHeader('ETag', `"${version}"`);
    return { unitId: body.unitId, version };
  }

  @Post(':unitId/move')
  @HttpCode(200)
  @Roles('ADMIN')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag you last saw; a stale one answers 412 and changes nothing' })
  @ApiOperation({
    summary: 'Place a unit elsewhere in the hierarchy (ADMIN; both places inside your scope)',
    description:
      'Appends UnitMoved with from, to and the reason. New requests, accounts and cases of the unit are placed at `to`; ' +
      'what was recorded before keeps the jurisdiction it was recorded with. 422 if it is already there.',
  })
  @ApiOkResponse({ type: UnitChanged })
  async move(
    @Param('unitId') unitId: string,
    @Body() body: MoveUnitDto,
    @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
    @IfMatch() ifMatchVersion: number | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<UnitChanged> {
    const version = await this.registry.move(unitIdOf(unitId), placementOf(body.to), body.reason, {
      principal,
      correlationId,
      ...(ifMatchVersion === undefined ? {} : { ifMatchVersion }),
    });
    response.setHeader('ETag', `"${version}"`);
    return { unitId, version };
  }
}
