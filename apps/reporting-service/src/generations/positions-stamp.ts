import type { Positions } from './generations';

/** A stamp that cannot name positions on the read models' topics: the message says what is wrong. */
export class InvalidStampError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStampError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const PARTITION = /^(0|[1-9]\d*)$/;
const CSV_STAMP_LINE = /^# positions: (.*)$/m;

/**
 * A report's `positions` stamp checked against the read models' topics: an object of topics, each
 * an object of partition numbers to non-negative integer offsets. Returns a copy in that shape.
 */
export function validateStamp(value: unknown, topics: readonly string[]): Positions {
  if (!isObject(value)) throw new InvalidStampError('the stamp must be an object of topics, like a report\'s "positions"');
  const stamp: Positions = {};
  for (const [topic, partitions] of Object.entries(value)) {
    if (!topics.includes(topic)) throw new InvalidStampError(`unknown topic "${topic}" (the read models read ${topics.join(', ')})`);
    if (!isObject(partitions)) throw new InvalidStampError(`${topic}: expected an object of partition → offset`);
    const offsets: Record<string, number> = {};
    for (const [partition, offset] of Object.entries(partitions)) {
      if (!PARTITION.test(partition)) throw new InvalidStampError(`${topic}: partition "${partition}" is not a partition number`);
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset))
        throw new InvalidStampError(`${topic}[${partition}]: offset ${JSON.stringify(offset)} is not an integer`);
      if (offset < 0) throw new InvalidStampError(`${topic}[${partition}]: offset ${offset} is negative`);
      offsets[partition] = offset;
    }
    stamp[topic] = offsets;
  }
  return stamp;
}

/**
 * The stamp in what a user pastes or saves: the positions JSON as a report prints it, a whole
 * JSON report (its `positions`), or a CSV report (its `# positions:` comment line).
 */
export function parseStamp(text: string, topics: readonly string[]): Positions {
  const csvLine = CSV_STAMP_LINE.exec(text);
  const json = csvLine ? csvLine[1]! : text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new InvalidStampError(`the stamp is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A whole report: its stamp is `positions` (no topic is called that).
  const stamp = isObject(parsed) && isObject(parsed['positions']) ? parsed['positions'] : parsed;
  return validateStamp(stamp, topics);
}

/** For a rebuild up to `stamp`: true for a message past it (a partition absent from the stamp contributes nothing). */
export const pastStamp =
  (stamp: Positions) =>
  ({ topic, partition, offset }: { topic: string; partition: number; offset: string }): boolean =>
    Number(offset) > (stamp[topic]?.[String(partition)] ?? -1);

/**
 * A partition's watermarks as seen by a rebuild up to `stamp`: its end is one past the stamp's
 * offset (the low watermark when the stamp names no offset), or the real end if that comes first.
 */
export function capToStamp<W extends { partition: number; low: string; high: string }>(topic: string, watermarks: W[], stamp: Positions): W[] {
  return watermarks.map((watermark) => {
    const last = stamp[topic]?.[String(watermark.partition)];
    const end = last === undefined ? Number(watermark.low) : Math.max(Number(watermark.low), last + 1);
    return { ...watermark, high: String(Math.min(Number(watermark.high), end)) };
  });
}

/** Where a generation's positions differ from the stamp it was rebuilt to (empty: it reproduces the stamp exactly). */
export function stampDifferences(stamp: Positions, positions: Positions): string[] {
  const differences: string[] = [];
  const topics = new Set([...Object.keys(stamp), ...Object.keys(positions)]);
  for (const topic of [...topics].sort()) {
    const partitions = new Set([...Object.keys(stamp[topic] ?? {}), ...Object.keys(positions[topic] ?? {})]);
    for (const partition of [...partitions].sort((a, b) => Number(a) - Number(b))) {
      const wanted = stamp[topic]?.[partition];
      const got = positions[topic]?.[partition];
      if (wanted !== got) differences.push(`${topic}[${partition}]: stamp ${wanted ?? 'none'}, rebuilt ${got ?? 'none'}`);
    }
  }
  return differences;
}
