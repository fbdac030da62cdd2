import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { DomainError, fold } from '@conduct/decider';
import { EventStore } from '@conduct/event-store';
import { Jurisdiction, Scope, UnitClaim, placeClaim, placementOf, scopeCovers } from '@conduct/jurisdiction';
import { parseUnitsSeed } from '@conduct/approvals-hierarchy';
import {
  ORG_UNIT_STREAM_TYPE,
  OrgUnit,
  OrgUnitCommand,
  OrgUnitEvent,
  OrgUnitState,
  UnitEditor,
  UnitPlacement,
  jurisdictionOfUnit,
  orgUnitDecider,
  orgUnitStreamId,
} from '@conduct/approvals-domain';
import { StreamCommandRequest, StreamCommands, StreamKind } from '@conduct/event-sourcing';
import { ApprovalServiceConfig } from '../approval-service.config';
import { OrgUnitDto } from './org-units.dto';

/** Who loads UNITS_SEED_FILE, in the units' history. */
const SEED_PRINCIPAL: Principal = { subject: 'system:units-seed', roles: ['ADMIN'], scope: {} };

export interface UnitHistoryEntry {
  version: number;
  type: string;
  recordedAt: string;
  actor: { id: string; role: string };
  data: object;
}

/**
 * The force's hierarchy (unit → district → range → province), owned by approval-service: each unit
 * is an event-sourced stream, so every edit is on record with who made it. Requests and accounts
 * name a unit; `place` answers where the registry has it, and scope checks use that answer.
 * The other services learn the hierarchy from UnitRegistered / UnitMoved on conduct.approvals.v1.
 */
@Injectable()
export class UnitRegistry implements OnApplicationBootstrap {
  constructor(
    private readonly store: EventStore,
    private readonly streams: StreamCommands,
    private readonly dataSource: DataSource,
    private readonly config: ApprovalServiceConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(UnitRegistry.name);
  }

  /** A unit where it lies now, with every event that put it there; undefined if never registered. */
  async find(unitId: string): Promise<{ unit: OrgUnit; version: number; history: UnitHistoryEntry[] } | undefined> {
    const events = await this.store.readStream(orgUnitStreamId(unitId));
    const state = fold(orgUnitDecider, events as unknown as OrgUnitEvent[]);
    if (state.status === 'none') return undefined;
    const history = events.map((event) => ({
      version: event.streamVersion,
      type: event.type,
      recordedAt: event.recordedAt,
      actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
      data: event.data as object,
    }));
    return { unit: state.unit, version: events.length, history };
  }

  /** The claim checked against the registry (422 naming the field if unknown or disagreeing), as the registry places it. */
  async place(claim: UnitClaim, field = 'jurisdiction'): Promise<UnitClaim> {
    const { state } = await this.store.aggregate(orgUnitStreamId(claim.unitId), orgUnitDecider);
    return placeClaim(claim, state.status === 'registered' ? jurisdictionOfUnit(state.unit) : undefined, field);
  }

  /** Units in the caller's scope, from the `org_units` read model (a moment behind the streams). */
  async list(scope: Scope, filters: Partial<UnitPlacement>): Promise<OrgUnit[]> {
    const conditions: string[] = [];
    const values: string[] = [];
    const where = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      values.push(value);
      conditions.push(`${column} = $${values.length}`);
    };
    where('province', scope.province);
    where('range', scope.range);
    where('district', scope.district);
    where('unit_id', scope.unit);
    where('province', filters.province);
    where('range', filters.range);
    where('district', filters.district);
    const rows = await this.dataSource.query<{ unit_id: string; name: string; province: string; range: string | null; district: string | null }[]>(
      `SELECT unit_id, name, province, range, district FROM org_units ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY province, range NULLS FIRST, district NULLS FIRST, unit_id`,
      values,
    );
    return rows.map((row) => ({ unitId: row.unit_id, name: row.name, ...placementOf(row) }));
  }

  async register(unit: OrgUnit, request: StreamCommandRequest): Promise<number> {
    const { version } = await this.streams.of(ORG_UNITS).execute({ ...request, streamId: orgUnitStreamId(unit.unitId) }, ({ actor, now }) => ({
      type: 'RegisterUnit',
      data: { unit, actor, now },
    }));
    return version;
  }

  async move(unitId: string, to: UnitPlacement, reason: string, request: StreamCommandRequest): Promise<number> {
    const { version } = await this.streams.of(ORG_UNITS).execute({ ...request, streamId: orgUnitStreamId(unitId) }, ({ actor, now }) => ({
      type: 'MoveUnit',
      data: { unitId, to, reason, actor, now },
    }));
    return version;
  }

  /** Registers the units of UNITS_SEED_FILE that the registry does not hold yet; never moves one (edits win). */
  async onApplicationBootstrap(): Promise<void> {
    const file = this.config.UNITS_SEED_FILE;
    if (!file) return;
    const units = await parseUnitsSeed(file, await readFile(file, 'utf8'));
    let registered = 0;
    for (const unit of units) {
      if (await this.find(unit.unitId)) continue;
      try {
        await this.register(unit, { principal: SEED_PRINCIPAL, correlationId: randomUUID() });
        registered += 1;
      } catch (error) {
        // Another replica seeding at the same moment registered it first (the race is decided again, so the decider says so).
        if (!(error instanceof DomainError && error.code === ORG_UNITS.alreadyExists)) throw error;
      }
    }
    this.logger.info({ file, units: units.length, registered }, 'hierarchy registry seeded');
  }
}

/** Unit streams for the command runner; the seed treats a unit registered meanwhile as done. */
const ORG_UNITS: StreamKind<OrgUnitCommand, OrgUnitState, OrgUnitEvent, UnitEditor> = {
  streamType: ORG_UNIT_STREAM_TYPE,
  decider: orgUnitDecider,
  jurisdictionOf: (state, command) => jurisdictionAfter(state, command),
  actorOf: ({ subject, roles, scope }) => ({ id: subject, roles, scope }),
  alreadyExists: 'org-unit.already-registered',
};

/** Events carry where the unit lies after them: a move is filed under its new place. */
function jurisdictionAfter(state: { status: string; unit?: OrgUnit }, command: OrgUnitCommand): Jurisdiction | undefined {
  if (command.type === 'RegisterUnit') return jurisdictionOfUnit(command.data.unit);
  return state.unit && jurisdictionOfUnit({ unitId: state.unit.unitId, name: state.unit.name, ...placementOf(command.data.to) });
}

/** A plain object without absent levels: it is hashed into the event chain. */
export const orgUnitOf = (dto: OrgUnitDto): OrgUnit => ({ unitId: dto.unitId, name: dto.name, ...placementOf(dto) });

export const unitInScope = (scope: Scope, unit: OrgUnit): boolean => scopeCovers(scope, jurisdictionOfUnit(unit));
