import { startWebhookReceiver, WebhookReceiver } from '@conduct/testing';
import { ForbiddenWebhookTargetError, postToTarget, WebhookTargets } from './webhook-targets';

/*
 * The check at connect time, on a real socket: a host name is resolved, and a forbidden address
 * refused, by the lookup the request itself uses, so a name that resolves elsewhere later (DNS
 * rebinding) cannot slip past the check made when subscribing.
 */
describe('postToTarget: where a delivery may connect', () => {
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver?.close());

  const byName = () => receiver.url.replace('127.0.0.1', 'localhost');

  it('refuses a host name that resolves to loopback, and a literal loopback address, sending nothing', async () => {
    const strict = new WebhookTargets();
    await expect(postToTarget(strict, byName(), {}, '{}', 2000)).rejects.toThrow(ForbiddenWebhookTargetError);
    await expect(postToTarget(strict, byName(), {}, '{}', 2000)).rejects.toThrow(/^localhost resolves to an address webhooks may not reach/);
    await expect(postToTarget(strict, receiver.url, {}, '{}', 2000)).rejects.toThrow(ForbiddenWebhookTargetError);
    expect(await strict.refusal(byName())).toMatch(/^localhost resolves to an address webhooks may not reach/);
    expect(receiver.received).toEqual([]);
  });

  it('delivers to loopback once its network is allowed, and does not follow a redirect', async () => {
    const local = new WebhookTargets(['127.0.0.0/8', '::1/128']);
    expect(await postToTarget(local, byName(), { 'content-type': 'application/json' }, '{"n":1}', 2000)).toEqual({
      statusCode: 204,
      statusText: 'No Content',
    });
    expect(receiver.received.map((request) => request.body)).toEqual(['{"n":1}']);
    receiver.answer(302);
    expect((await postToTarget(local, receiver.url, {}, '{}', 2000)).statusCode).toBe(302);
    expect(receiver.received).toHaveLength(2);
    receiver.answer(204);
  });
});
