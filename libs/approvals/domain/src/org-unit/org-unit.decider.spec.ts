import { fold, specFor } from '@conduct/decider';
import { OrgUnitCommand, OrgUnitEvent, UnitEditor, orgUnitDecider } from './org-unit.decider';

const spec = specFor(orgUnitDecider);
const now = '2026-12-01T09:00:00.000Z';
const admin: UnitEditor = { id: 'admin-1', roles: ['ADMIN'], scope: {} };
const sindhAdmin: UnitEditor = { id: 'admin-sindh', roles: ['ADMIN'], scope: { province: 'sindh' } };
const clifton = { unitId: 'ps-clifton', name: 'Clifton police station', province: 'sindh', range: 'karachi', district: 'karachi-south' };

const register = (overrides: Partial<typeof clifton> = {}, actor: UnitEditor = admin): OrgUnitCommand => ({
  type: 'RegisterUnit',
  data: { unit: { ...clifton, ...overrides }, actor, now },
});
const move = (to: object, actor: UnitEditor = admin, reason = 'Karachi South split'): OrgUnitCommand => ({
  type: 'MoveUnit',
  data: { unitId: 'ps-clifton', to: { province: 'sindh', ...to }, reason, actor, now },
});
const registered: OrgUnitEvent = { type: 'UnitRegistered', data: { ...clifton, registeredBy: 'admin-1', registeredAt: now } };

describe('org unit decider', () => {
  it('registers a unit with its place in the hierarchy, naming who did it', () => {
    spec([]).when(register()).then([registered]);
  });

  it('registers a provincial office without range or district, but never a district without its range', () => {
    spec([])
      .when(register({ unitId: 'sindh-office', range: undefined, district: undefined }))
      .then([
        {
          type: 'UnitRegistered',
          data: { unitId: 'sindh-office', name: clifton.name, province: 'sindh', registeredBy: 'admin-1', registeredAt: now },
        },
      ]);
    expect(
      spec([])
        .when(register({ range: undefined }))
        .thenThrows('org-unit.district-without-range').field,
    ).toBe('unit.range');
  });

  it('lets only an administrator edit, and only inside their scope', () => {
    spec([])
      .when(register({}, { ...admin, roles: ['HQ_ANALYST'] }))
      .thenThrows('org-unit.admin-required');
    spec([])
      .when(register({ province: 'punjab', range: 'lahore', district: 'lahore' }, sindhAdmin))
      .thenThrows('org-unit.out-of-scope');
    spec([])
      .when(register({}, sindhAdmin))
      .then([{ type: 'UnitRegistered', data: { ...clifton, registeredBy: 'admin-sindh', registeredAt: now } }]);
  });

  it('refuses a second registration of a unit and a blank name', () => {
    spec([registered]).when(register()).thenThrows('org-unit.already-registered');
    spec([])
      .when(register({ name: '  ' }))
      .thenThrows('org-unit.name-required');
  });

  it('moves a unit, recording where from, where to and why; the state follows', () => {
    const moved: OrgUnitEvent = {
      type: 'UnitMoved',
      data: {
        unitId: 'ps-clifton',
        from: { province: 'sindh', range: 'karachi', district: 'karachi-south' },
        to: { province: 'sindh', range: 'karachi', district: 'karachi-keamari' },
        reason: 'Karachi South split',
        movedBy: 'admin-1',
        movedAt: now,
      },
    };
    spec([registered])
      .when(move({ range: 'karachi', district: 'karachi-keamari' }))
      .then([moved]);
    expect(fold(orgUnitDecider, [registered, moved])).toEqual({ status: 'registered', unit: { ...clifton, district: 'karachi-keamari' } });
  });

  it('refuses a move to the same place, without a reason, out of scope, or of an unknown unit', () => {
    spec([registered])
      .when(move({ range: 'karachi', district: 'karachi-south' }))
      .thenThrows('org-unit.same-place');
    spec([registered])
      .when(move({ range: 'karachi', district: 'karachi-east' }, admin, ' '))
      .thenThrows('org-unit.reason-required');
    spec([registered])
      .when(move({ province: 'punjab', range: 'lahore' }, sindhAdmin))
      .thenThrows('org-unit.out-of-scope');
    spec([registered])
      .when(move({ range: 'hyderabad' }, { ...sindhAdmin, scope: { province: 'punjab' } }))
      .thenThrows('org-unit.not-found');
    spec([])
      .when(move({ range: 'hyderabad' }))
      .thenThrows('org-unit.not-found');
  });
});
