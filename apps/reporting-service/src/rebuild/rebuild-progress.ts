import { Positions } from '../generations/generations';

/** Where one partition stands: `applied` and `high` are "next offset" numbers, like Kafka's. */
export interface PartitionProgress {
  partition: number;
  low: number;
  high: number;
  applied: number;
}

export interface TopicProgress {
  topic: string;
  /** Messages of the topic taken in so far (applied, skipped or dead-lettered). */
  done: number;
  /** Messages on the topic at the last look (high watermark minus low watermark, summed). */
  total: number;
  lag: number;
}

export interface RebuildProgress {
  generation: number;
  elapsedMs: number;
  eventsPerSecond: number;
  topics: TopicProgress[];
  caughtUp: boolean;
}

/**
 * A partition's next offset to take in: the group's committed offset, or one past the last event
 * the generation applied when that is further (commits happen per batch, positions per event;
 * types no read model handles move only the commit).
 */
export function appliedOffset(committed: number, lastApplied: number | undefined, low: number): number {
  return Math.max(committed, lastApplied === undefined ? -1 : lastApplied + 1, low);
}

export function partitionProgress(
  topic: string,
  watermarks: { partition: number; low: string; high: string }[],
  committed: { partition: number; offset: string }[],
  positions: Positions,
): PartitionProgress[] {
  return watermarks.map(({ partition, low, high }) => {
    const commit = committed.find((entry) => entry.partition === partition);
    return {
      partition,
      low: Number(low),
      high: Number(high),
      applied: appliedOffset(Number(commit?.offset ?? -1), positions[topic]?.[String(partition)], Number(low)),
    };
  });
}

export function topicProgress(topic: string, partitions: PartitionProgress[]): TopicProgress {
  const done = partitions.reduce((sum, p) => sum + Math.min(p.applied, p.high) - p.low, 0);
  const total = partitions.reduce((sum, p) => sum + p.high - p.low, 0);
  return { topic, done, total, lag: total - done };
}

/** One line: `rebuild g3 12.4s | conduct.cases.v1 1200/1500 lag 300 | … | 840 events/s`. */
export function formatProgress(progress: RebuildProgress): string {
  const topics = progress.topics.map((t) => `${t.topic} ${t.done}/${t.total} lag ${t.lag}`).join(' | ');
  const state = progress.caughtUp ? 'caught up' : `${Math.round(progress.eventsPerSecond)} events/s`;
  return `rebuild g${progress.generation} ${(progress.elapsedMs / 1000).toFixed(1)}s | ${topics} | ${state}`;
}
