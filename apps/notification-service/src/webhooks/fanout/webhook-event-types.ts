import { approvalContracts } from '@conduct/approvals-contracts';
import { casesContracts } from '@conduct/cases-contracts';
import { notificationContracts } from '@conduct/notifications-contracts';
import { ContractMap, Topics } from '@conduct/messaging';

/** The contracts an integration can subscribe to, by the topic that carries them. */
export const SUBSCRIBABLE_CONTRACTS: readonly { topic: string; contracts: ContractMap }[] = [
  { topic: Topics.approvals, contracts: approvalContracts },
  { topic: Topics.cases, contracts: casesContracts },
  { topic: Topics.notifications, contracts: notificationContracts },
];

/**
 * Webhook* events are left out: every delivery publishes them, so a subscription to them would
 * deliver its own delivery events, each of which would publish another — an endless loop.
 */
const isSubscribable = (type: string): boolean => !type.startsWith('Webhook');

/** Every event type a subscription may name. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = SUBSCRIBABLE_CONTRACTS.flatMap(({ contracts }) =>
  Object.keys(contracts).filter(isSubscribable),
);

/** The subscribable types of one contracts map. */
export const subscribableTypesOf = (contracts: ContractMap): string[] => Object.keys(contracts).filter(isSubscribable);
