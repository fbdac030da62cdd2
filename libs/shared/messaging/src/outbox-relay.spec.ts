import { RecordMetadata } from 'kafkajs';
import { unacknowledged } from './outbox-relay';

const ack = (topicName: string, partition: number): RecordMetadata => ({ topicName, partition, errorCode: 0, baseOffset: '0' });

describe('unacknowledged: the partitions a produce request aimed at that Kafka did not acknowledge', () => {
  const request = [
    {
      topic: 'conduct.cases.v1',
      messages: [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 3 },
        { value: 'c', partition: 0 },
      ],
    },
    { topic: 'conduct.approvals.v1', messages: [{ value: 'd', partition: 5 }] },
  ];

  it('is empty when every partition aimed at was written', () => {
    expect(unacknowledged(request, [ack('conduct.cases.v1', 0), ack('conduct.cases.v1', 3), ack('conduct.approvals.v1', 5)])).toEqual([]);
  });

  it('names the partitions kafkajs resolved without sending (their leadership moved to a broker that had answered)', () => {
    expect(unacknowledged(request, [ack('conduct.cases.v1', 0)])).toEqual(['conduct.approvals.v1[5]', 'conduct.cases.v1[3]']);
  });

  it('tells topics apart: partition 5 of another topic does not count', () => {
    expect(unacknowledged(request, [ack('conduct.cases.v1', 0), ack('conduct.cases.v1', 3), ack('conduct.cases.v1', 5)])).toEqual([
      'conduct.approvals.v1[5]',
    ]);
  });
});
