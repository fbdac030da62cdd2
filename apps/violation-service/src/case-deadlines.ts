import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Principal } from '@conduct/auth';
import { CaseActor, CaseCommand, CaseState } from '@conduct/cases-domain';
import { Backlog, Clock, CommandInput, DueWorkWatcher, StreamCommands } from '@conduct/event-sourcing';
import { CASES } from './case-stream';

/**
 * A deadline the service records by itself when it passes (a takedown notice missed, a show-cause
 * reply lapsed), found in the cases list: the open cases whose deadline is due and still open (a
 * closed case's deadlines are settled). An imported legacy case is on it like any other: the import
 * recorded every deadline that had passed by then, so only one still running at the import is left
 * to watch, as the case is live from then on.
 */
export interface CaseDeadline {
  /** The backlog's name (`conduct_backlog_*{backlog}`). */
  backlog: string;
  /** The column of the notice's id and the one of its deadline. */
  idColumn: string;
  dueColumn: string;
  /** What makes the deadline still open, e.g. `takedown_status = 'pending'`. */
  open: string;
  /** The event that set the deadline, and its data field naming the notice: the cause of what the watcher records. */
  causeType: string;
  causeField: string;
  /** Who records the passing (the system, not a person; events record it as such), e.g. `system:takedown-deadline`. */
  recordedBy: string;
  /** The `task` label of the watcher's metrics, e.g. `takedown_deadline_watcher`. */
  task: string;
}

/** One deadline due: the case (the watcher's key), the notice and the event that set it. */
export interface DueDeadline {
  key: string;
  id: string;
  causationId: string | null;
}

const dueWhere = (deadline: CaseDeadline) => `status = 'open' AND ${deadline.open} AND ${deadline.dueColumn} <= $1`;

/** Deadlines passed and not yet recorded: the watcher's work, measured apart from it. */
export const deadlineBacklog = (deadline: CaseDeadline): Backlog => ({
  name: deadline.backlog,
  sql: `SELECT count(*) AS items, min(${deadline.dueColumn}) AS oldest FROM cases_list WHERE ${dueWhere(deadline)}`,
});

/** A page of the deadlines due at `now`, after the case `after`, in case order. */
export function dueDeadlines(dataSource: DataSource, deadline: CaseDeadline, now: Date, after: string, limit: number): Promise<DueDeadline[]> {
  return dataSource.query(
    `SELECT case_id AS key, ${deadline.idColumn} AS id,
            (SELECT event_id FROM events WHERE stream_id = case_id::text AND type = $4 AND data->>'${deadline.causeField}' = ${deadline.idColumn}::text
              ORDER BY stream_version DESC LIMIT 1) AS "causationId"
       FROM cases_list
      WHERE ${dueWhere(deadline)} AND case_id > $2
      ORDER BY case_id LIMIT $3`,
    [now, after, limit, deadline.causeType],
  );
}

/**
 * A watcher that records, for every deadline of one kind that has passed, the command that says
 * so (as the system, caused by the event that set the deadline). Each kind names its deadline and
 * its command.
 */
export abstract class CaseDeadlineWatcher extends DueWorkWatcher<DueDeadline> {
  private readonly system: Principal;

  protected constructor(
    private readonly deadline: CaseDeadline,
    private readonly dataSource: DataSource,
    private readonly streams: StreamCommands,
    clock: Clock,
    intervalMs: number,
    logger: PinoLogger,
  ) {
    super(clock, logger, intervalMs, deadline.task);
    this.system = { subject: deadline.recordedBy, roles: [], scope: {} };
  }

  /** The command recording that the deadline of notice `id` passed. */
  protected abstract passed(id: string, input: CommandInput<CaseState, CaseActor>, caseId: string): CaseCommand;

  protected due(now: Date, after: string, limit: number): Promise<DueDeadline[]> {
    return dueDeadlines(this.dataSource, this.deadline, now, after, limit);
  }

  protected async act({ key: caseId, id, causationId }: DueDeadline): Promise<void> {
    const request = { streamId: caseId, principal: this.system, correlationId: randomUUID(), ...(causationId ? { causationId } : {}) };
    await this.streams.of(CASES).execute(request, (input) => this.passed(id, input, caseId));
  }
}
