import { Scope } from '@conduct/jurisdiction';
import { MediaTeam, OfficialAccountKind, OperatedByLevel, OwningUnit } from './official-account.events';

/** The caller as the rules need them: roles grant the action, the scope limits where. */
export interface OfficialAccountActor {
  id: string;
  roles: readonly string[];
  scope: Scope;
}

/** Time, ids and the actor come with the command: the decider has no clock and makes no ids. */
export interface RegisterOfficialAccount {
  type: 'RegisterOfficialAccount';
  data: {
    /** Must be officialAccountStreamId(platform, handle): one stream per account. */
    accountId: string;
    platform: string;
    handle: string;
    url?: string;
    kind: OfficialAccountKind;
    jurisdiction: OwningUnit;
    mediaTeam: MediaTeam;
    operatedBy: OperatedByLevel;
    actor: OfficialAccountActor;
    now: string;
  };
}

export interface SuspendOfficialAccount {
  type: 'SuspendOfficialAccount';
  data: { accountId: string; reason: string; actor: OfficialAccountActor; now: string };
}

export interface ReinstateOfficialAccount {
  type: 'ReinstateOfficialAccount';
  data: { accountId: string; reason: string; actor: OfficialAccountActor; now: string };
}

export type OfficialAccountCommand = RegisterOfficialAccount | SuspendOfficialAccount | ReinstateOfficialAccount;
