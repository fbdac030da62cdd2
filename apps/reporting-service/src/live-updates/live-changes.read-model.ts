import { EntityManager } from 'typeorm';
import { Arrival } from '@conduct/messaging';
import { ReadModel } from '../read-models/read-model';

/** The PostgreSQL channel on which each inbox transaction names the cases and approvals it changed. */
export const LIVE_CHANGES_CHANNEL = 'conduct_live_changes';

/** What one notification carries: ids only (no personal data), so that any listener may hold it. */
export interface ChangedStreams {
  cases: string[];
  approvals: string[];
}

/** NOTIFY's payload is limited to 8,000 bytes: 36-character ids go 100 to a notification. */
const IDS_PER_NOTIFICATION = 100;

const STREAM_KINDS: Record<string, keyof ChangedStreams> = { case: 'cases', approval: 'approvals' };

/**
 * Not a table: it tells the live updates (GET /live) which streams an inbox transaction changed.
 * pg_notify inside the transaction is delivered when it commits, so a listener that then reads the
 * read models sees the change, and every replica of the service hears it, whichever applied it.
 */
export const liveChanges: ReadModel = {
  name: 'live-changes',
  ddl: [],
  handlers: {},
  onArrivals: async (arrivals: readonly Arrival[], manager: EntityManager): Promise<void> => {
    const changed: ChangedStreams = { cases: [], approvals: [] };
    for (const { envelope } of arrivals) {
      const kind = STREAM_KINDS[envelope.streamType];
      if (kind && !changed[kind].includes(envelope.streamId)) changed[kind].push(envelope.streamId);
    }
    for (const kind of ['cases', 'approvals'] as const) {
      for (let start = 0; start < changed[kind].length; start += IDS_PER_NOTIFICATION) {
        const chunk: ChangedStreams = { cases: [], approvals: [], [kind]: changed[kind].slice(start, start + IDS_PER_NOTIFICATION) };
        await manager.query(`SELECT pg_notify($1, $2)`, [LIVE_CHANGES_CHANNEL, JSON.stringify(chunk)]);
      }
    }
  },
};
