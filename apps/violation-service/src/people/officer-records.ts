import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import {
  OFFICER_STREAM_TYPE,
  OfficerRecordCommand,
  officerRecordDecider,
  OfficerRecordEvent,
  OfficerRecordState,
  RecordKeeper,
} from '@conduct/cases-domain';
import { DomainError } from '@conduct/decider';
import { EventStore } from '@conduct/event-store';
import { StreamCommands, StreamKind } from '@conduct/event-sourcing';
import { StreamCommandContext } from '@conduct/http';
import { PersonalDataKeys } from '@conduct/personal-data';

/** Officers' records for the command runner: the stream id is the service number; filed under no jurisdiction (national). */
const OFFICER_RECORDS: StreamKind<OfficerRecordCommand, OfficerRecordState, OfficerRecordEvent, RecordKeeper> = {
  streamType: OFFICER_STREAM_TYPE,
  decider: officerRecordDecider,
  jurisdictionOf: () => undefined,
  actorOf: (principal) => ({ id: principal.subject }),
  alreadyExists: 'officer-record.already-exists',
};

/** A command on an officer's record: the stream is theirs (id = service number). */
export type OfficerRecordRequest = StreamCommandContext;

/** What GET /people/:serviceNumber answers. */
export interface OfficerRecordView {
  serviceNumber: string;
  holds: OfficerRecordState['holds'];
  erasures: OfficerRecordState['erasures'];
  /** Cases about the officer not closed: erasure waits for them. */
  openCaseIds: string[];
  version: number;
}

/**
 * Legal holds and erasure of an officer's personal data (docs/privacy.md). Only a national
 * administrator acts on them: a person's data spans provinces (cases, notices, the directory).
 */
@Injectable()
export class OfficerRecords {
  constructor(
    private readonly streams: StreamCommands,
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly keys: PersonalDataKeys,
  ) {}

  async read(serviceNumber: string, principal: Principal): Promise<OfficerRecordView> {
    requireNationalAdmin(principal);
    const { state, version } = await this.fold(serviceNumber);
    return { serviceNumber, holds: state.holds, erasures: state.erasures, openCaseIds: await this.openCaseIds(serviceNumber), version };
  }

  async placeHold(request: OfficerRecordRequest, reasons: string[]): Promise<{ holdId: string; version: number }> {
    requireNationalAdmin(request.principal);
    const serviceNumber = request.streamId;
    const holdId = randomUUID();
    const { version } = await this.streams.of(OFFICER_RECORDS).execute(request, ({ actor, now }) => ({
      type: 'PlaceLegalHold',
      data: { serviceNumber, holdId, reasons, actor, now },
    }));
    return { holdId, version };
  }

  async releaseHold(request: OfficerRecordRequest, holdId: string, reasons: string[]): Promise<{ version: number }> {
    requireNationalAdmin(request.principal);
    const serviceNumber = request.streamId;
    const { version } = await this.streams.of(OFFICER_RECORDS).execute(request, ({ actor, now }) => ({
      type: 'ReleaseLegalHold',
      data: { serviceNumber, holdId, reasons, actor, now },
    }));
    return { version };
  }

  /**
   * Records PersonalDataErased, then deletes the officer's keys. Should the process stop between
   * the two, the erasure consumer deletes them when it reads the event (it does so for every one).
   */
  async erase(
    request: OfficerRecordRequest,
    reasons: string[],
    basis: 'request' | 'retention' = 'request',
  ): Promise<{ erasedAt: string; keysDeleted: number; plainTextReports: number; version: number }> {
    if (basis === 'request') requireNationalAdmin(request.principal);
    const serviceNumber = request.streamId;
    const openCaseIds = await this.openCaseIds(serviceNumber);
    const { version, state } = await this.streams.of(OFFICER_RECORDS).execute(request, ({ actor, now }) => ({
      type: 'ErasePersonalData',
      data: { serviceNumber, reasons, openCaseIds, basis, actor, now },
    }));
    const { keys } = await this.keys.erase(serviceNumber);
    return { erasedAt: state.erasures.at(-1)!.erasedAt, keysDeleted: keys, plainTextReports: await this.plainTextReports(serviceNumber), version };
  }

  /**
   * The cases about the officer not closed (never closed, or reopened since), from the events
   * themselves: a report appended a moment ago counts, where the cases list may not have it yet.
   */
  async openCaseIds(serviceNumber: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ case_id: string }[]>(
      `SELECT r.stream_id AS case_id FROM events r
        WHERE r.type = 'ViolationReported' AND r.data->'officer'->>'serviceNumber' = $1
          AND COALESCE((SELECT e.type FROM events e WHERE e.stream_id = r.stream_id AND e.type IN ('CaseClosed', 'CaseReopened')
                         ORDER BY e.stream_version DESC LIMIT 1), '') <> 'CaseClosed'
        ORDER BY r.recorded_at`,
      [serviceNumber],
    );
    return rows.map((row) => row.case_id);
  }

  /** Reports naming the officer recorded before per-person keys: their name stays there in plain text (ADR 19). */
  private async plainTextReports(serviceNumber: string): Promise<number> {
    const [{ n }] = await this.dataSource.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM events
        WHERE type = 'ViolationReported' AND data->'officer'->>'serviceNumber' = $1 AND data->'officer'->>'name' NOT LIKE 'pii:v1:%'`,
      [serviceNumber],
    );
    return n;
  }

  private async fold(serviceNumber: string): Promise<{ state: OfficerRecordState; version: number }> {
    const events = await this.store.readStream(serviceNumber);
    const state = events.reduce(
      (folded, event) => officerRecordDecider.evolve(folded, { type: event.type, data: event.data } as OfficerRecordEvent),
      officerRecordDecider.initialState,
    );
    return { state, version: events.at(-1)?.streamVersion ?? 0 };
  }
}

function requireNationalAdmin(principal: Principal): void {
  if (!principal.roles.includes('ADMIN') || Object.values(principal.scope).some((level) => level !== undefined)) {
    throw new DomainError('forbidden', 'officer-record.national-admin-required', "Only a national administrator acts on a person's data");
  }
}
