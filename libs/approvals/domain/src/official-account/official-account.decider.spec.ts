import { fold, specFor } from '@conduct/decider';
import { OfficialAccountActor, RegisterOfficialAccount, ReinstateOfficialAccount, SuspendOfficialAccount } from './official-account.commands';
import { isActiveOfficialAccount, officialAccountDecider } from './official-account.decider';
import { OfficialAccountReinstated, OfficialAccountRegistered, OfficialAccountSuspended } from './official-account.events';
import { officialAccountStreamId } from './official-account.stream-id';

const spec = specFor(officialAccountDecider);
const now = '2026-11-25T09:00:00.000Z';
const later = '2026-11-26T09:00:00.000Z';
const accountId = officialAccountStreamId('facebook', 'sspkarachisouth');

const mediaTeam: OfficialAccountActor = {
  id: 'media-south-1',
  roles: ['MEDIA_TEAM'],
  scope: { province: 'sindh', range: 'karachi', district: 'karachi-south' },
};

/** The SSP's approver: lifts a suspension that someone else imposed. */
const approver: OfficialAccountActor = {
  id: 'ssp-south',
  roles: ['APPROVER'],
  scope: { province: 'sindh', range: 'karachi', district: 'karachi-south' },
};

const register = (overrides: Partial<RegisterOfficialAccount['data']> = {}): RegisterOfficialAccount => ({
  type: 'RegisterOfficialAccount',
  data: {
    accountId,
    platform: 'Facebook',
    handle: '@SSPKarachiSouth',
    url: 'https://facebook.com/SSPKarachiSouth',
    kind: 'institutional',
    jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ssp-office-south' },
    mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
    operatedBy: 'SSP',
    actor: mediaTeam,
    now,
    ...overrides,
  },
});

const registered = (): OfficialAccountRegistered => ({
  type: 'OfficialAccountRegistered',
  data: {
    accountId,
    platform: 'facebook',
    handle: 'sspkarachisouth',
    url: 'https://facebook.com/SSPKarachiSouth',
    jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ssp-office-south' },
    mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
    operatedBy: 'SSP',
    registeredBy: 'media-south-1',
    registeredAt: now,
  },
});

const suspend = (overrides: Partial<SuspendOfficialAccount['data']> = {}): SuspendOfficialAccount => ({
  type: 'SuspendOfficialAccount',
  data: { accountId, reason: 'Password leaked', actor: mediaTeam, now: later, ...overrides },
});

const suspended = (): OfficialAccountSuspended => ({
  type: 'OfficialAccountSuspended',
  data: { accountId, reason: 'Password leaked', suspendedBy: 'media-south-1', suspendedAt: later },
});

const reinstate = (overrides: Partial<ReinstateOfficialAccount['data']> = {}): ReinstateOfficialAccount => ({
  type: 'ReinstateOfficialAccount',
  data: { accountId, reason: 'Credentials rotated', actor: approver, now: later, ...overrides },
});

const reinstated = (): OfficialAccountReinstated => ({
  type: 'OfficialAccountReinstated',
  data: { accountId, reason: 'Credentials rotated', reinstatedBy: 'ssp-south', reinstatedAt: later },
});

describe('official account: register (SND-5)', () => {
  it('records the account with platform and handle normalised, the registrant and the time', () => {
    spec([]).when(register()).then([registered()]);
  });

  it('leaves out a url that was not given', () => {
    const { url: _url, ...withoutUrl } = registered().data;
    spec([])
      .when(register({ url: undefined }))
      .then([{ type: 'OfficialAccountRegistered', data: withoutUrl }]);
  });

  it('lets an approver register, and a Unit Head media team register a unit that names no district', () => {
    const approver = { id: 'dig-karachi', roles: ['APPROVER'], scope: { province: 'sindh', range: 'karachi' } };
    spec([])
      .when(register({ actor: approver }))
      .then([{ ...registered(), data: { ...registered().data, registeredBy: 'dig-karachi' } }]);
    const traffic = { province: 'sindh', unitId: 'sindh-traffic' };
    spec([])
      .when(register({ operatedBy: 'UNIT_HEAD', jurisdiction: traffic, actor: { ...mediaTeam, scope: { province: 'sindh' } } }))
      .then([{ ...registered(), data: { ...registered().data, jurisdiction: traffic, operatedBy: 'UNIT_HEAD' } }]);
  });

  it('never registers a personal account as official, citing SND-5', () => {
    const error = spec([])
      .when(register({ kind: 'personal' }))
      .thenThrows('official-account.personal-account');
    expect(error.kind).toBe('invalid');
    expect(error.clause).toBe('SND-5');
    expect(error.field).toBe('kind');
  });

  it.each([['OFFICER'], ['IA_INVESTIGATOR'], ['HQ_ANALYST'], ['ADMIN']])('refuses the role %s (403, SND-5)', (role) => {
    const error = spec([])
      .when(register({ actor: { ...mediaTeam, roles: [role] } }))
      .thenThrows('official-account.role-required');
    expect(error.kind).toBe('forbidden');
    expect(error.clause).toBe('SND-5');
  });

  it('refuses an owning unit outside the actor’s scope (403, SND-5)', () => {
    const error = spec([])
      .when(register({ actor: { ...mediaTeam, scope: { province: 'sindh', district: 'karachi-east' } } }))
      .thenThrows('official-account.unit-out-of-scope');
    expect(error.kind).toBe('forbidden');
    expect(error.clause).toBe('SND-5');
  });

  it('refuses the same platform and handle twice, whatever the case or a leading @ (409)', () => {
    const error = spec([registered()])
      .when(register({ handle: 'sspkarachisouth', platform: 'facebook ' }))
      .thenThrows('official-account.already-registered');
    expect(error.kind).toBe('conflict');
  });

  it('refuses an account id not derived from platform and handle', () => {
    spec([])
      .when(register({ accountId: officialAccountStreamId('x', 'sspkarachisouth') }))
      .thenThrows('official-account.id-mismatch');
  });

  it('refuses a blank handle', () => {
    const error = spec([])
      .when(register({ handle: ' @ ', accountId: officialAccountStreamId('facebook', '') }))
      .thenThrows('official-account.bad-handle');
    expect(error.field).toBe('handle');
  });

  it('refuses an SSP account that names no district and a DIG account that names no range', () => {
    const ssp = spec([])
      .when(
        register({
          jurisdiction: { province: 'sindh', range: 'karachi', unitId: 'range-office' },
          actor: { ...mediaTeam, scope: { province: 'sindh', range: 'karachi' } },
        }),
      )
      .thenThrows('official-account.level-mismatch');
    expect(ssp.field).toBe('jurisdiction.district');
    const dig = spec([])
      .when(
        register({
          operatedBy: 'DIG',
          jurisdiction: { province: 'sindh', unitId: 'sindh-office' },
          actor: { ...mediaTeam, scope: { province: 'sindh' } },
        }),
      )
      .thenThrows('official-account.level-mismatch');
    expect(dig.field).toBe('jurisdiction.range');
  });
});

describe('official account: suspend', () => {
  it('suspends an active account with the reason, who and when', () => {
    spec([registered()]).when(suspend()).then([suspended()]);
  });

  it('refuses an account that was never registered (404)', () => {
    spec([]).when(suspend()).thenThrows('official-account.not-found');
  });

  it('refuses an account already suspended (409)', () => {
    expect(spec([registered(), suspended()]).when(suspend()).thenThrows('official-account.not-active').kind).toBe('conflict');
  });

  it('refuses a role that does not run official accounts, and an actor whose scope does not cover the owning unit', () => {
    spec([registered()])
      .when(suspend({ actor: { ...mediaTeam, roles: ['OFFICER'] } }))
      .thenThrows('official-account.role-required');
    // Outside your scope an account does not exist for you (as GET answers), not a 403 that tells it does.
    expect(
      spec([registered()])
        .when(suspend({ actor: { ...mediaTeam, scope: { province: 'punjab' } } }))
        .thenThrows('official-account.not-found').kind,
    ).toBe('not-found');
    expect(
      spec([registered()])
        .when(suspend({ actor: { ...mediaTeam, roles: ['OFFICER'], scope: { province: 'punjab' } } }))
        .thenThrows('official-account.not-found').kind,
    ).toBe('not-found');
  });

  it('refuses a blank reason', () => {
    expect(
      spec([registered()])
        .when(suspend({ reason: '  ' }))
        .thenThrows('official-account.reason-required').field,
    ).toBe('reason');
  });
});

describe('official account: reinstate', () => {
  it('reinstates a suspended account', () => {
    spec([registered(), suspended()]).when(reinstate()).then([reinstated()]);
  });

  it('refuses an active account (409) and an unknown one (404)', () => {
    spec([registered()]).when(reinstate()).thenThrows('official-account.not-suspended');
    spec([registered(), suspended(), reinstated()]).when(reinstate()).thenThrows('official-account.not-suspended');
    spec([]).when(reinstate()).thenThrows('official-account.not-found');
  });

  it('answers an actor outside the owning unit’s scope as if there were no account, and refuses a blank reason', () => {
    spec([registered(), suspended()])
      .when(reinstate({ actor: { ...approver, scope: { province: 'sindh', district: 'karachi-east' } } }))
      .thenThrows('official-account.not-found');
    spec([registered(), suspended()])
      .when(reinstate({ reason: '' }))
      .thenThrows('official-account.reason-required');
  });

  // Separation of duties: a suspension is lifted by an approver, and not the one who imposed it.
  it('needs an approver other than the one who suspended the account', () => {
    const byMediaTeam = spec([registered(), suspended()])
      .when(reinstate({ actor: { ...mediaTeam, id: 'media-south-2' } }))
      .thenThrows('official-account.reinstate-needs-approver');
    expect(byMediaTeam.kind).toBe('forbidden');
    const suspendedByApprover: OfficialAccountSuspended = { ...suspended(), data: { ...suspended().data, suspendedBy: 'ssp-south' } };
    expect(spec([registered(), suspendedByApprover]).when(reinstate()).thenThrows('official-account.own-suspension').kind).toBe('forbidden');
    spec([registered(), suspendedByApprover])
      .when(reinstate({ actor: { ...approver, id: 'dig-karachi' } }))
      .then([{ ...reinstated(), data: { ...reinstated().data, reinstatedBy: 'dig-karachi' } }]);
  });
});

describe('official account: state', () => {
  it('is active once registered, not while suspended, and again once reinstated', () => {
    expect(isActiveOfficialAccount(fold(officialAccountDecider, []))).toBe(false);
    expect(isActiveOfficialAccount(fold(officialAccountDecider, [registered()]))).toBe(true);
    expect(fold(officialAccountDecider, [registered(), suspended()])).toMatchObject({
      status: 'suspended',
      suspension: { reason: 'Password leaked' },
    });
    expect(isActiveOfficialAccount(fold(officialAccountDecider, [registered(), suspended(), reinstated()]))).toBe(true);
  });
});
