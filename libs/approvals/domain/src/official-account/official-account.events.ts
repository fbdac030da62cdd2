import { DomainEvent } from '@conduct/decider';

/** Who runs an official account (SND-5): the media team of the concerned DIG, SSP or Unit Head. */
export const OPERATED_BY_LEVELS = ['DIG', 'SSP', 'UNIT_HEAD'] as const;
export type OperatedByLevel = (typeof OPERATED_BY_LEVELS)[number];

/** What the registrant declares the account to be; only institutional accounts can be official. */
export const OFFICIAL_ACCOUNT_KINDS = ['institutional', 'personal'] as const;
export type OfficialAccountKind = (typeof OFFICIAL_ACCOUNT_KINDS)[number];

/** The unit that owns the account, placed in the hierarchy; unitId is always named. */
export interface OwningUnit {
  province: string;
  range?: string;
  district?: string;
  unitId: string;
}

export interface MediaTeam {
  name: string;
  unitId: string;
}

export interface OfficialAccountDetails {
  accountId: string;
  /** Lower-case platform name, e.g. `facebook`. */
  platform: string;
  /** Normalised handle: lower-case, without a leading `@` (platform handles ignore case). */
  handle: string;
  url?: string;
  jurisdiction: OwningUnit;
  mediaTeam: MediaTeam;
  operatedBy: OperatedByLevel;
  registeredBy: string;
  registeredAt: string;
}

export type OfficialAccountRegistered = DomainEvent<'OfficialAccountRegistered', OfficialAccountDetails>;

export type OfficialAccountSuspended = DomainEvent<
  'OfficialAccountSuspended',
  { accountId: string; reason: string; suspendedBy: string; suspendedAt: string }
>;

export type OfficialAccountReinstated = DomainEvent<
  'OfficialAccountReinstated',
  { accountId: string; reason: string; reinstatedBy: string; reinstatedAt: string }
>;

export type OfficialAccountEvent = OfficialAccountRegistered | OfficialAccountSuspended | OfficialAccountReinstated;
