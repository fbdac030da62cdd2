import { KafkaJSProtocolError } from 'kafkajs';
import { whileRetriable } from './kafka';

describe('whileRetriable', () => {
  // The error kafkajs raises when a coordinator is still loading a group's offsets (code 16).
  const notCoordinator = () =>
    new KafkaJSProtocolError(
      Object.assign(new Error('This is not the correct coordinator for this group'), { type: 'NOT_COORDINATOR', code: 16, retriable: true }),
    );

  it('calls again while Kafka answers a retriable error, and answers what the call then returns', async () => {
    let calls = 0;
    const offsets = await whileRetriable(() => {
      calls += 1;
      return calls < 3 ? Promise.reject(notCoordinator()) : Promise.resolve('offsets');
    });
    expect(offsets).toBe('offsets');
    expect(calls).toBe(3);
  });

  it('throws at once an error that is not retriable, and the retriable one after the last attempt', async () => {
    let calls = 0;
    await expect(
      whileRetriable(() => {
        calls += 1;
        return Promise.reject(new Error('unknown topic'));
      }),
    ).rejects.toThrow('unknown topic');
    expect(calls).toBe(1);

    calls = 0;
    await expect(
      whileRetriable(() => {
        calls += 1;
        return Promise.reject(notCoordinator());
      }, 2),
    ).rejects.toThrow('not the correct coordinator');
    expect(calls).toBe(2);
  });
});
