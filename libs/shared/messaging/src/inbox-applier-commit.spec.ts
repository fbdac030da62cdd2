import { EachBatchPayload, KafkaJSProtocolError, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { InboxApplier } from './inbox-applier';
import { MessagingLogger } from './logger';

/** The error a group coordinator answers while it loads its groups after a broker's outage (code 16, retriable). */
const notCoordinator = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('This is not the correct coordinator for this group'), { type: 'NOT_COORDINATOR_FOR_GROUP', code: 16, retriable: true }),
  );
const rebalancing = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('The group is rebalancing, so a rejoin is needed'), { type: 'REBALANCE_IN_PROGRESS', code: 27, retriable: false }),
  );

const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const OFFSETS = { topics: [{ topic: 'conduct.cases.v1', partitions: [{ partition: 2, offset: '41' }] }] };

/**
 * The end of a batch: what it resolved is committed before the batch is handed back (kafkajs
 * would not commit again on a quiet partition). The batch here holds nothing new: only the offsets
 * an earlier batch resolved wait to be committed, as after a commit that failed.
 */
function endOfBatch(commit: () => Promise<void>, running = () => true) {
  let committed = false;
  const commits: unknown[] = [];
  const payload = {
    batch: { topic: 'conduct.cases.v1', partition: 2, messages: [] },
    resolveOffset: () => undefined,
    heartbeat: () => Promise.resolve(),
    isRunning: running,
    isStale: () => false,
    pause: () => () => undefined,
    uncommittedOffsets: () => (committed ? { topics: [] } : OFFSETS),
    commitOffsetsIfNecessary: async (offsets: unknown) => {
      commits.push(offsets);
      await commit();
      committed = true;
    },
  } as unknown as EachBatchPayload;
  return { payload, commits };
}

function applier(onCommitFailed = jest.fn()) {
  const inbox = new InboxApplier({
    dataSource: {} as DataSource,
    handlers: {},
    consumerName: 'cases-list',
    logger: quiet,
    producer: {} as Producer,
    onCommitFailed,
  });
  return { inbox, onCommitFailed };
}

describe('InboxApplier: committing a batch', () => {
  it('commits the offsets left uncommitted, waiting out a coordinator that answers NOT_COORDINATOR', async () => {
    let refusals = 2;
    const { payload, commits } = endOfBatch(() => (refusals-- > 0 ? Promise.reject(notCoordinator()) : Promise.resolve()));
    const { inbox, onCommitFailed } = applier();
    await inbox.processBatch(payload);
    expect(commits).toEqual([OFFSETS, OFFSETS, OFFSETS]);
    expect(onCommitFailed).not.toHaveBeenCalled();
  });

  it('leaves a rebalance to kafkajs at once: it rejoins and reads again from the last commit', async () => {
    const { payload, commits } = endOfBatch(() => Promise.reject(rebalancing()));
    const { inbox, onCommitFailed } = applier();
    await expect(inbox.processBatch(payload)).rejects.toThrow('rebalancing');
    expect(commits).toHaveLength(1);
    expect(onCommitFailed).not.toHaveBeenCalled();
  });

  it('stops waiting once the consumer stops: whoever takes the partition over reads again from the last commit', async () => {
    let running = true;
    const { payload, commits } = endOfBatch(
      () => {
        running = commits.length < 3; // stopped while the coordinator still refuses
        return Promise.reject(notCoordinator());
      },
      () => running,
    );
    const { inbox, onCommitFailed } = applier();
    await expect(inbox.processBatch(payload)).rejects.toThrow('not the correct coordinator');
    expect(commits).toHaveLength(3);
    expect(onCommitFailed).not.toHaveBeenCalled();
  });

  it('tells the consumer when the coordinator refuses for good (it rejoins as a new member)', async () => {
    jest.useFakeTimers();
    try {
      const { payload, commits } = endOfBatch(() => Promise.reject(notCoordinator()));
      const { inbox, onCommitFailed } = applier();
      const ended = inbox.processBatch(payload).then(
        () => 'committed',
        (error: Error) => error.message,
      );
      await jest.advanceTimersByTimeAsync(60_000);
      expect(await ended).toMatch('not the correct coordinator');
      expect(commits).toHaveLength(15);
      expect(onCommitFailed).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
