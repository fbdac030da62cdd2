import { randomBytes } from 'node:crypto';
import { Admin, Producer } from 'kafkajs';
import { committedShortOf, createTestTopics, testKafka, topicEnds } from './kafka';

/*
 * "Has this group committed up to the end of its topics?" is how tests wait for a consumer. A
 * partition that never held a message has nothing to commit, so a group never commits there: the
 * HQ replay test once waited 60 s for such a partition (its offset stays -1) and timed out.
 */
describe('committedShortOf (real Kafka)', () => {
  const kafka = testKafka('committed-short-of-test');
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('is behind until the group commits past every message, and never waits on an empty partition', async () => {
    const [topic] = await createTestTopics(kafka, 'conduct.test.committed');
    await producer.send({
      topic: topic!,
      acks: -1,
      messages: [
        { partition: 0, value: 'one' },
        { partition: 0, value: 'two' },
      ],
    });
    const ends = await topicEnds(admin, [topic!]);
    expect([...ends.get(topic!)!].sort()).toEqual([
      [0, 2],
      [1, 0],
      [2, 0],
    ]);
    const groupId = `committed-short-of-${randomBytes(4).toString('hex')}`;

    expect(await committedShortOf(admin, groupId, ends)).toBe(`${groupId} at ${topic}[0] -1 of 2`);
    await admin.setOffsets({ groupId, topic: topic!, partitions: [{ partition: 0, offset: '1' }] });
    expect(await committedShortOf(admin, groupId, ends)).toBe(`${groupId} at ${topic}[0] 1 of 2`);
    await admin.setOffsets({ groupId, topic: topic!, partitions: [{ partition: 0, offset: '2' }] });
    // Partitions 1 and 2 still stand at -1: nothing was ever there to commit.
    expect(await committedShortOf(admin, groupId, ends)).toBeUndefined();
  });
});
