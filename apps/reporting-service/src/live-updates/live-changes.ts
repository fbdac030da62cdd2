import { BeforeApplicationShutdown, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Notification, PoolClient } from 'pg';
import { Observable, Subject } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { pgPoolOf } from '@conduct/event-store';
import type { Jurisdiction } from '@conduct/auth';
import { ReadModelStore } from '../generations/read-model-store';
import { ChangedStreams, LIVE_CHANGES_CHANNEL } from './live-changes.read-model';

/**
 * A change a live page may want: a case or an approval moved on (with its place, for the scope
 * check), or `resync`: changes may have been missed (the listening connection was lost), so read
 * again.
 */
export type LiveChange = { kind: 'case' | 'approval'; id: string; place: Jurisdiction } | { kind: 'resync' };

interface PlaceRow {
  id: string;
  province: string;
  range: string | null;
  district: string | null;
  unit_id: string | null;
}

const RECONNECT_MS = 1_000;

/**
 * Listens on the read models' change channel and passes each change on with its place, read once
 * for every subscriber from the active generation. One connection per process, taken from the
 * service's pool and held; when it is lost it is opened again and subscribers are told to resync.
 */
@Injectable()
export class LiveChanges implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly changes = new Subject<LiveChange>();
  private readonly closing = new Subject<void>();
  private client?: PoolClient;
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ReadModelStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('live-changes');
  }

  /** Every change, as it is committed; filter by scope before sending anything on. */
  get stream(): Observable<LiveChange> {
    return this.changes.asObservable();
  }

  /** Emits once as the service begins to shut down: open streams end then, so that the HTTP server can close. */
  get shuttingDown(): Observable<void> {
    return this.closing.asObservable();
  }

  beforeApplicationShutdown(): void {
    this.closing.next();
    this.closing.complete();
  }

  async onModuleInit(): Promise<void> {
    await this.listen().catch(() => this.scheduleReconnect());
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.changes.complete();
    const client = this.client;
    this.client = undefined;
    client?.release(true);
  }

  private async listen(): Promise<void> {
    const client = await pgPoolOf(this.dataSource).connect();
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.release(true);
      if (!this.stopped) {
        this.logger.warn({ err: error }, 'the live changes connection was lost: listening again');
        this.scheduleReconnect();
      }
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (notification) => void this.relay(notification));
    await client.query(`LISTEN ${LIVE_CHANGES_CHANNEL}`);
    const reconnected = this.client === undefined && this.reconnectTimer !== undefined;
    this.client = client;
    this.reconnectTimer = undefined;
    if (reconnected) this.changes.next({ kind: 'resync' });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => {
      this.listen().catch(() => this.scheduleReconnect());
    }, RECONNECT_MS);
  }

  private async relay(notification: Notification): Promise<void> {
    let changed: ChangedStreams;
    try {
      changed = JSON.parse(notification.payload ?? '') as ChangedStreams;
    } catch {
      return;
    }
    try {
      const placesOf = (table: string, idColumn: string, ids: string[]) => (manager: EntityManager) =>
        ids.length === 0
          ? Promise.resolve([])
          : manager.query<PlaceRow[]>(`SELECT ${idColumn} AS id, province, range, district, unit_id FROM ${table} WHERE ${idColumn} = ANY($1)`, [
              ids,
            ]);
      const [cases, approvals] = await this.store.read((manager) =>
        Promise.all([placesOf('cases', 'case_id', changed.cases)(manager), placesOf('approvals_report', 'approval_id', changed.approvals)(manager)]),
      );
      for (const row of cases) this.changes.next({ kind: 'case', id: row.id, place: placeOf(row) });
      for (const row of approvals) this.changes.next({ kind: 'approval', id: row.id, place: placeOf(row) });
    } catch (error) {
      // The read models are not readable (no active generation yet, a database hiccup): pages read again.
      this.logger.warn({ err: error }, 'could not place live changes: asking pages to resync');
      this.changes.next({ kind: 'resync' });
    }
  }
}

const placeOf = (row: PlaceRow): Jurisdiction => ({
  province: row.province,
  ...(row.range ? { range: row.range } : {}),
  ...(row.district ? { district: row.district } : {}),
  ...(row.unit_id ? { unitId: row.unit_id } : {}),
});
