import { Decider, DomainError } from '@conduct/decider';
import { Jurisdiction, scopeCovers } from '@conduct/jurisdiction';
import {
  OfficialAccountActor,
  OfficialAccountCommand,
  RegisterOfficialAccount,
  ReinstateOfficialAccount,
  SuspendOfficialAccount,
} from './official-account.commands';
import { OfficialAccountDetails, OfficialAccountEvent } from './official-account.events';
import { normaliseHandle, normalisePlatform, officialAccountStreamId } from './official-account.stream-id';

export interface AccountSuspension {
  reason: string;
  suspendedBy: string;
  suspendedAt: string;
}

export type OfficialAccountState =
  | { status: 'none' }
  | { status: 'active'; account: OfficialAccountDetails }
  | { status: 'suspended'; account: OfficialAccountDetails; suspension: AccountSuspension };

export const initialOfficialAccountState: OfficialAccountState = { status: 'none' };

/** Whether content may go out through this account now (SND-5): registered and not suspended. */
export const isActiveOfficialAccount = (state: OfficialAccountState): state is Extract<OfficialAccountState, { status: 'active' }> =>
  state.status === 'active';

/** SND-5: official accounts are run by the concerned authority's media team; approvers oversee them. */
export const ROLES_RUNNING_OFFICIAL_ACCOUNTS: readonly string[] = ['APPROVER', 'MEDIA_TEAM'];

function authorize(actor: OfficialAccountActor, jurisdiction: Jurisdiction): void {
  if (!actor.roles.some((role) => ROLES_RUNNING_OFFICIAL_ACCOUNTS.includes(role))) {
    throw new DomainError('forbidden', 'official-account.role-required', 'Only approvers and media teams manage official accounts', 'SND-5');
  }
  if (!scopeCovers(actor.scope, jurisdiction)) {
    throw new DomainError('forbidden', 'official-account.unit-out-of-scope', 'The owning unit lies outside your scope', 'SND-5', 'jurisdiction');
  }
}

const notFound = (accountId: string) => new DomainError('not-found', 'official-account.not-found', `No official account ${accountId}`);

function register({ data: command }: RegisterOfficialAccount, state: OfficialAccountState): OfficialAccountEvent[] {
  authorize(command.actor, command.jurisdiction);
  if (command.kind === 'personal') {
    throw new DomainError(
      'invalid',
      'official-account.personal-account',
      'A personal account can never be registered as an official account',
      'SND-5',
      'kind',
    );
  }
  const platform = normalisePlatform(command.platform);
  const handle = normaliseHandle(command.handle);
  if (platform === '' || handle === '') {
    throw new DomainError(
      'invalid',
      'official-account.bad-handle',
      'platform and handle must not be blank',
      undefined,
      platform === '' ? 'platform' : 'handle',
    );
  }
  if (command.accountId !== officialAccountStreamId(platform, handle)) {
    throw new DomainError('invalid', 'official-account.id-mismatch', 'accountId must be derived from platform and handle');
  }
  // The concerned authority's level must exist in the owning unit's place in the hierarchy.
  if (command.operatedBy === 'SSP' && !command.jurisdiction.district) {
    throw new DomainError(
      'invalid',
      'official-account.level-mismatch',
      'An SSP media team runs a district account: name the district',
      'SND-5',
      'jurisdiction.district',
    );
  }
  if (command.operatedBy === 'DIG' && !command.jurisdiction.range) {
    throw new DomainError(
      'invalid',
      'official-account.level-mismatch',
      'A DIG media team runs a range account: name the range',
      'SND-5',
      'jurisdiction.range',
    );
  }
  if (state.status !== 'none') {
    throw new DomainError(
      'conflict',
      'official-account.already-registered',
      `${platform} account @${handle} is already registered`,
      undefined,
      'handle',
    );
  }
  return [
    {
      type: 'OfficialAccountRegistered',
      data: {
        accountId: command.accountId,
        platform,
        handle,
        ...(command.url === undefined ? {} : { url: command.url }),
        jurisdiction: command.jurisdiction,
        mediaTeam: command.mediaTeam,
        operatedBy: command.operatedBy,
        registeredBy: command.actor.id,
        registeredAt: command.now,
      },
    },
  ];
}

function requireReason(reason: string): void {
  if (reason.trim() === '') throw new DomainError('invalid', 'official-account.reason-required', 'Give a reason', undefined, 'reason');
}

/** An account that exists in the actor's scope: outside it, an account does not exist for them (404, as for reads). */
function existingInScope(
  command: { accountId: string; actor: OfficialAccountActor },
  state: OfficialAccountState,
): Exclude<OfficialAccountState, { status: 'none' }> {
  if (state.status === 'none' || !scopeCovers(command.actor.scope, state.account.jurisdiction)) throw notFound(command.accountId);
  authorize(command.actor, state.account.jurisdiction);
  return state;
}

function suspend({ data: command }: SuspendOfficialAccount, state: OfficialAccountState): OfficialAccountEvent[] {
  existingInScope(command, state);
  if (state.status !== 'active') {
    throw new DomainError('conflict', 'official-account.not-active', `Official account ${command.accountId} is ${state.status}, not active`);
  }
  requireReason(command.reason);
  return [
    {
      type: 'OfficialAccountSuspended',
      data: { accountId: command.accountId, reason: command.reason, suspendedBy: command.actor.id, suspendedAt: command.now },
    },
  ];
}

function reinstate({ data: command }: ReinstateOfficialAccount, state: OfficialAccountState): OfficialAccountEvent[] {
  existingInScope(command, state);
  if (state.status !== 'suspended') {
    throw new DomainError('conflict', 'official-account.not-suspended', `Official account ${command.accountId} is ${state.status}, not suspended`);
  }
  // Separation of duties: lifting a suspension is an approver's decision, and a second person's.
  if (!command.actor.roles.includes('APPROVER')) {
    throw new DomainError('forbidden', 'official-account.reinstate-needs-approver', 'Only an approver may reinstate a suspended account', 'SND-5');
  }
  if (command.actor.id === state.suspension.suspendedBy) {
    throw new DomainError('forbidden', 'official-account.own-suspension', 'Another approver must reinstate an account you suspended');
  }
  requireReason(command.reason);
  return [
    {
      type: 'OfficialAccountReinstated',
      data: { accountId: command.accountId, reason: command.reason, reinstatedBy: command.actor.id, reinstatedAt: command.now },
    },
  ];
}

export function decideOfficialAccount(command: OfficialAccountCommand, state: OfficialAccountState): OfficialAccountEvent[] {
  switch (command.type) {
    case 'RegisterOfficialAccount':
      return register(command, state);
    case 'SuspendOfficialAccount':
      return suspend(command, state);
    case 'ReinstateOfficialAccount':
      return reinstate(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export function evolveOfficialAccount(state: OfficialAccountState, event: OfficialAccountEvent): OfficialAccountState {
  switch (event.type) {
    case 'OfficialAccountRegistered':
      return { status: 'active', account: event.data };
    case 'OfficialAccountSuspended': {
      if (state.status === 'none') return state;
      const { reason, suspendedBy, suspendedAt } = event.data;
      return { status: 'suspended', account: state.account, suspension: { reason, suspendedBy, suspendedAt } };
    }
    case 'OfficialAccountReinstated':
      return state.status === 'none' ? state : { status: 'active', account: state.account };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

export const officialAccountDecider: Decider<OfficialAccountCommand, OfficialAccountState, OfficialAccountEvent> = {
  initialState: initialOfficialAccountState,
  decide: decideOfficialAccount,
  evolve: evolveOfficialAccount,
};
