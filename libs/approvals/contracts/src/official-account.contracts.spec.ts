import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { OfficialAccountEvent, officialAccountDecider, officialAccountStreamId, RegisterOfficialAccount } from '@conduct/approvals-domain';
import { officialAccountContracts } from './official-account.contracts';

const actor = { id: 'media-south-1', roles: ['MEDIA_TEAM'], scope: { province: 'sindh' } };
const registration = (url?: string): RegisterOfficialAccount => ({
  type: 'RegisterOfficialAccount',
  data: {
    accountId: officialAccountStreamId('facebook', 'sspkarachisouth'),
    platform: 'facebook',
    handle: '@SSPKarachiSouth',
    ...(url ? { url } : {}),
    kind: 'institutional',
    jurisdiction: { province: 'sindh', range: 'karachi', district: 'karachi-south', unitId: 'ssp-office-south' },
    mediaTeam: { name: 'SSP South media cell', unitId: 'media-south' },
    operatedBy: 'SSP',
    actor,
    now: '2026-11-25T09:00:00.000Z',
  },
});

/** Every event the decider can produce, from a real run of it. */
function lifecycle(url?: string): OfficialAccountEvent[] {
  const { decide, evolve, initialState } = officialAccountDecider;
  const events: OfficialAccountEvent[] = [];
  const run = (command: Parameters<typeof decide>[0]) => {
    const state = events.reduce(evolve, initialState);
    events.push(...decide(command, state));
  };
  const accountId = registration().data.accountId;
  run(registration(url));
  run({ type: 'SuspendOfficialAccount', data: { accountId, reason: 'Password leaked', actor, now: '2026-11-26T09:00:00.000Z' } });
  // A suspension is lifted by an approver other than the one who imposed it.
  const approver = { id: 'ssp-south', roles: ['APPROVER'], scope: actor.scope };
  run({ type: 'ReinstateOfficialAccount', data: { accountId, reason: 'Rotated', actor: approver, now: '2026-11-27T09:00:00.000Z' } });
  return events;
}

const problemsOf = async (event: { type: string; data: object }, forbidUnknownFields = true) => {
  const contract: new () => object = officialAccountContracts[event.type as keyof typeof officialAccountContracts].data;
  const errors = await validate(plainToInstance(contract, event.data), forbidUnknownFields ? { whitelist: true, forbidNonWhitelisted: true } : {});
  return errors.map((error) => error.property);
};

describe('official-account contracts', () => {
  it('cover every official-account event type at schema version 1', () => {
    expect(Object.keys(officialAccountContracts).sort()).toEqual([
      'OfficialAccountRegistered',
      'OfficialAccountReinstated',
      'OfficialAccountSuspended',
    ]);
    expect(Object.values(officialAccountContracts).every((contract) => contract.schemaVersion === 1)).toBe(true);
  });

  it.each([[undefined], ['https://facebook.com/SSPKarachiSouth']])(
    'accept exactly the data the decider produces (url %s), declaring every field',
    async (url) => {
      const events = lifecycle(url);
      expect(events.map((event) => event.type)).toEqual(['OfficialAccountRegistered', 'OfficialAccountSuspended', 'OfficialAccountReinstated']);
      for (const event of events) expect({ type: event.type, problems: await problemsOf(event) }).toEqual({ type: event.type, problems: [] });
    },
  );

  it('refuse data that breaks them', async () => {
    const [registered] = lifecycle();
    const data = registered!.data as unknown as Record<string, unknown>;
    expect(await problemsOf({ type: 'OfficialAccountRegistered', data: { ...data, operatedBy: 'IGP' } }, false)).toEqual(['operatedBy']);
    expect(await problemsOf({ type: 'OfficialAccountRegistered', data: { ...data, accountId: 'acc-1' } }, false)).toEqual(['accountId']);
    expect(await problemsOf({ type: 'OfficialAccountRegistered', data: { ...data, jurisdiction: { province: 'sindh' } } }, false)).toEqual([
      'jurisdiction',
    ]);
    const { mediaTeam: _team, jurisdiction: _unit, ...withoutNested } = data;
    expect(await problemsOf({ type: 'OfficialAccountRegistered', data: withoutNested }, false)).toEqual(['jurisdiction', 'mediaTeam']);
    expect(
      await problemsOf({ type: 'OfficialAccountSuspended', data: { accountId: data['accountId'], suspendedBy: 'x', suspendedAt: 'x' } }, false),
    ).toEqual(['reason', 'suspendedAt']);
  });
});
