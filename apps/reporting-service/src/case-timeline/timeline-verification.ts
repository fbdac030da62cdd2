import { ChainBreak, ChainedEvent, verifyChain } from '@conduct/event-store';

/**
 * intact: every event from version 1 on, each hash matching its content and linking to the one
 * before. incomplete: versions are missing (an event never reached us, e.g. dead-lettered) — what
 * is there may be genuine. tampered: an event's content does not match its hash, or a link is
 * broken between consecutive versions: the trail was altered.
 */
export type StreamIntegrity = 'intact' | 'incomplete' | 'tampered';

export interface StreamVerification {
  streamId: string;
  streamType: string;
  status: StreamIntegrity;
  eventsChecked: number;
  /** The first version at which the chain fails, and why (the event-store library's reasons, plus `missing-start`). */
  brokenAt?: { streamVersion: number; reason: ChainBreak | 'missing-start' };
  /** For an incomplete stream: the versions missing before `brokenAt`. */
  missing?: { fromVersion: number; toVersion: number };
}

export interface TimelineVerification {
  /** True when every stream is intact. */
  intact: boolean;
  streams: StreamVerification[];
}

export type VerifiableEvent = ChainedEvent & { streamType: string };

const statusOf = (reason: ChainBreak): StreamIntegrity => (reason === 'version-gap' ? 'incomplete' : 'tampered');

/** Verifies one stream's events (any order) with the event-store library's own hash chain check. */
export function verifyStreamEvents(events: readonly VerifiableEvent[]): StreamVerification {
  const ordered = [...events].sort((a, b) => a.streamVersion - b.streamVersion);
  const first = ordered[0];
  if (!first) throw new Error('a stream to verify has at least one event');
  const stream = { streamId: first.streamId, streamType: first.streamType };
  // verifyChain takes a slice starting after version 1 on trust; a trail must start at the beginning.
  if (first.streamVersion !== 1) {
    return {
      ...stream,
      status: 'incomplete',
      eventsChecked: 0,
      brokenAt: { streamVersion: first.streamVersion, reason: 'missing-start' },
      missing: { fromVersion: 1, toVersion: first.streamVersion - 1 },
    };
  }
  // Two events claiming one version: one of them replaced the other.
  const duplicate = ordered.find((event, index) => index > 0 && ordered[index - 1]!.streamVersion === event.streamVersion);
  if (duplicate) {
    const checked = ordered.indexOf(duplicate) + 1;
    return { ...stream, status: 'tampered', eventsChecked: checked, brokenAt: { streamVersion: duplicate.streamVersion, reason: 'chain-broken' } };
  }
  const result = verifyChain(ordered);
  if (result.intact || !result.brokenAt) return { ...stream, status: 'intact', eventsChecked: result.eventsChecked };
  const { brokenAt } = result;
  const broken = { ...stream, status: statusOf(brokenAt.reason), eventsChecked: result.eventsChecked, brokenAt };
  if (brokenAt.reason !== 'version-gap') return broken;
  const before = ordered[result.eventsChecked - 2]!;
  return { ...broken, missing: { fromVersion: before.streamVersion + 1, toVersion: brokenAt.streamVersion - 1 } };
}

/** Verifies each stream of a timeline (the case's and each notice's) on its own. */
export function verifyTimeline(events: readonly VerifiableEvent[]): TimelineVerification {
  const byStream = new Map<string, VerifiableEvent[]>();
  for (const event of events) byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  const streams = [...byStream.values()].map(verifyStreamEvents);
  return { intact: streams.every((stream) => stream.status === 'intact'), streams };
}
