import { Decider, DomainError } from '@conduct/decider';
import { Jurisdiction, Placement, Scope, placementOf, scopeCovers } from '@conduct/jurisdiction';

/**
 * The hierarchy unit → district → range → province as the force has it (docs/policy.md). Each unit is
 * one stream: registered once, moved when the force redraws its districts. The events are the
 * audit of every edit: who, when, from where to where, and why.
 */
export const ORG_UNIT_STREAM_TYPE = 'org-unit';

/** Readable and stable: one stream per unit id. */
export const orgUnitStreamId = (unitId: string): string => `org-unit:${unitId}`;

/** Where a unit sits above itself. Range and district may be absent (a provincial office). */
export type UnitPlacement = Placement;

export interface OrgUnit extends UnitPlacement {
  unitId: string;
  name: string;
}

export interface UnitEditor {
  id: string;
  roles: readonly string[];
  scope: Scope;
}

export type OrgUnitCommand =
  | { type: 'RegisterUnit'; data: { unit: OrgUnit; actor: UnitEditor; now: string } }
  | { type: 'MoveUnit'; data: { unitId: string; to: UnitPlacement; reason: string; actor: UnitEditor; now: string } };

export type OrgUnitEvent =
  | { type: 'UnitRegistered'; data: OrgUnit & { registeredBy: string; registeredAt: string } }
  | { type: 'UnitMoved'; data: { unitId: string; from: UnitPlacement; to: UnitPlacement; reason: string; movedBy: string; movedAt: string } };

export type OrgUnitState = { status: 'none' } | { status: 'registered'; unit: OrgUnit };

/** A unit's full jurisdiction, as requests, cases and accounts carry it (absent levels left out). */
export const jurisdictionOfUnit = (unit: OrgUnit): Jurisdiction => ({ ...placementOf(unit), unitId: unit.unitId });

const samePlacement = (a: UnitPlacement, b: UnitPlacement) => a.province === b.province && a.range === b.range && a.district === b.district;

/** Only administrators edit the hierarchy, and only where their scope reaches. */
function authorize(actor: UnitEditor, placement: UnitPlacement, unitId: string, field: string): void {
  if (!actor.roles.includes('ADMIN')) throw new DomainError('forbidden', 'org-unit.admin-required', 'Only an administrator edits the hierarchy');
  if (!scopeCovers(actor.scope, { ...placement, unitId })) {
    throw new DomainError('forbidden', 'org-unit.out-of-scope', 'That place in the hierarchy lies outside your scope', undefined, field);
  }
}

/** A district lies in a range: a placement naming a district without its range is refused. */
function requireWholePath(placement: UnitPlacement, field: string): void {
  if (placement.district !== undefined && placement.range === undefined) {
    throw new DomainError('invalid', 'org-unit.district-without-range', 'Name the range the district lies in', undefined, `${field}.range`);
  }
}

function register({ data: { unit, actor, now } }: Extract<OrgUnitCommand, { type: 'RegisterUnit' }>, state: OrgUnitState): OrgUnitEvent[] {
  authorize(actor, unit, unit.unitId, 'province');
  requireWholePath(unit, 'unit');
  if (unit.name.trim() === '') throw new DomainError('invalid', 'org-unit.name-required', 'Give the unit a name', undefined, 'name');
  if (state.status !== 'none')
    throw new DomainError('conflict', 'org-unit.already-registered', `Unit ${unit.unitId} is already registered`, undefined, 'unitId');
  return [
    { type: 'UnitRegistered', data: { unitId: unit.unitId, name: unit.name, ...placementOf(unit), registeredBy: actor.id, registeredAt: now } },
  ];
}

function move({ data: command }: Extract<OrgUnitCommand, { type: 'MoveUnit' }>, state: OrgUnitState): OrgUnitEvent[] {
  // A unit outside the editor's scope does not exist for them (404, as for reads).
  if (state.status === 'none' || !scopeCovers(command.actor.scope, jurisdictionOfUnit(state.unit))) {
    throw new DomainError('not-found', 'org-unit.not-found', `No unit ${command.unitId}`);
  }
  authorize(command.actor, command.to, command.unitId, 'to');
  requireWholePath(command.to, 'to');
  if (command.reason.trim() === '') throw new DomainError('invalid', 'org-unit.reason-required', 'Say why the unit moves', undefined, 'reason');
  const from = placementOf(state.unit);
  const to = placementOf(command.to);
  if (samePlacement(from, to)) throw new DomainError('invalid', 'org-unit.same-place', `Unit ${command.unitId} is already there`, undefined, 'to');
  return [{ type: 'UnitMoved', data: { unitId: command.unitId, from, to, reason: command.reason, movedBy: command.actor.id, movedAt: command.now } }];
}

export function evolveOrgUnit(state: OrgUnitState, event: OrgUnitEvent): OrgUnitState {
  switch (event.type) {
    case 'UnitRegistered': {
      const { registeredBy: _by, registeredAt: _at, ...unit } = event.data;
      return { status: 'registered', unit };
    }
    case 'UnitMoved':
      return state.status === 'none'
        ? state
        : { status: 'registered', unit: { unitId: state.unit.unitId, name: state.unit.name, ...placementOf(event.data.to) } };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const orgUnitDecider: Decider<OrgUnitCommand, OrgUnitState, OrgUnitEvent> = {
  initialState: { status: 'none' },
  decide: (command, state) => (command.type === 'RegisterUnit' ? register(command, state) : move(command, state)),
  evolve: evolveOrgUnit,
};
