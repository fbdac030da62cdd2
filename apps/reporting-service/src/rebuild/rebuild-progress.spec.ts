import { appliedOffset, formatProgress, partitionProgress, topicProgress } from './rebuild-progress';

describe('appliedOffset', () => {
  it('takes the commit when the group committed past the last applied event (skipped types)', () => {
    expect(appliedOffset(10, 6, 0)).toBe(10);
  });
  it('takes one past the last applied event when the batch is not committed yet', () => {
    expect(appliedOffset(4, 8, 0)).toBe(9);
  });
  it('starts at the low watermark when nothing was committed or applied (-1)', () => {
    expect(appliedOffset(-1, undefined, 3)).toBe(3);
  });
});

it('sums partitions into done / total / lag, an empty partition counting as caught up', () => {
  const partitions = partitionProgress(
    'conduct.cases.v1',
    [
      { partition: 0, low: '0', high: '10' },
      { partition: 1, low: '2', high: '5' },
      { partition: 2, low: '0', high: '0' },
    ],
    [{ partition: 0, offset: '4' }],
    { 'conduct.cases.v1': { '1': 4 } },
  );
  expect(partitions.map((p) => p.applied)).toEqual([4, 5, 0]);
  expect(partitions.every((p) => p.applied >= p.high)).toBe(false);
  expect(topicProgress('conduct.cases.v1', partitions)).toEqual({ topic: 'conduct.cases.v1', done: 7, total: 13, lag: 6 });
});

it('formats one line per look', () => {
  const line = formatProgress({
    generation: 3,
    elapsedMs: 12_400,
    eventsPerSecond: 840.4,
    caughtUp: false,
    topics: [{ topic: 'conduct.cases.v1', done: 1200, total: 1500, lag: 300 }],
  });
  expect(line).toBe('rebuild g3 12.4s | conduct.cases.v1 1200/1500 lag 300 | 840 events/s');
});
