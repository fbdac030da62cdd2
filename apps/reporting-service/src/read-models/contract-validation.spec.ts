import { approvalContracts } from '@conduct/approvals-contracts';
import { casesContracts } from '@conduct/cases-contracts';
import { documentedExample } from '@conduct/contracts-testing';
import { EventEnvelope, Topics } from '@conduct/messaging';
import { fastPathDisagreements } from '@conduct/contract-validation/testing';
import { notificationContracts } from '@conduct/notifications-contracts';

/*
 * Every consumer checks each message through validateContract's fast path (ADR 24), which must
 * accept what class-validator accepts, as the same instance, and nothing else. Checked here for
 * every contract of the three topics, which reporting-service all reads, on mutations of the
 * example docs/asyncapi.yaml shows for it: each value replaced by wrong types and look-alikes, odd
 * keys added. (The contracts' own libraries may not depend on the messaging library.)
 */
const catalogues = [
  [Topics.cases, casesContracts],
  [Topics.approvals, approvalContracts],
  [Topics.notifications, notificationContracts],
] as const;

describe.each(catalogues)('the contracts of %s', (topic, contracts) => {
  it.each(Object.keys(contracts))('%s: the fast path agrees with class-validator on its data', async (type) => {
    const contract = (contracts as Record<string, { data: new () => object }>)[type]!.data;

    expect(await fastPathDisagreements(contract, documentedExample(topic, type).data)).toEqual([]);
  });

  it('the fast path agrees with class-validator on an envelope', async () => {
    expect(await fastPathDisagreements(EventEnvelope, documentedExample(topic, Object.keys(contracts)[0]!))).toEqual([]);
  });
});
