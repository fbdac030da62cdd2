import { deliveryIdOf } from './webhook-delivery-policy';

describe('webhook delivery ids', () => {
  const subscriptionId = '0b6d3f5e-8a55-4a0e-9a53-3c0d6f1a9e21';
  const eventId = '5b0c0e1e-3d7c-4b1e-9a51-3f1f7d2b9c10';

  it('are the same for the same subscription and event, whoever computes them', () => {
    expect(deliveryIdOf(subscriptionId, eventId)).toBe(deliveryIdOf(subscriptionId, eventId));
    expect(deliveryIdOf(subscriptionId, eventId)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differ for another subscription or another event', () => {
    const ids = new Set([
      deliveryIdOf(subscriptionId, eventId),
      deliveryIdOf('1b6d3f5e-8a55-4a0e-9a53-3c0d6f1a9e21', eventId),
      deliveryIdOf(subscriptionId, '6b0c0e1e-3d7c-4b1e-9a51-3f1f7d2b9c10'),
    ]);
    expect(ids.size).toBe(3);
  });
});
