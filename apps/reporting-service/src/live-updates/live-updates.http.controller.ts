import { Controller, MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { filter, interval, map, merge, Observable, takeUntil } from 'rxjs';
import { CurrentPrincipal, Principal, Roles, scopeCovers } from '@conduct/auth';
import { LiveChanges } from './live-changes';

/** A comment line every 25 s keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events for live pages (the console's dashboard and case page): each case or approval
 * that moved on in the read models, within the caller's scope, as `event: change` with
 * `{"kind":"case","id":"…"}`; `event: resync` when changes may have been missed. Ids only: a page
 * reads what changed through the usual, redacted reads.
 */
@ApiTags('live')
@ApiBearerAuth()
@Controller('live')
export class LiveUpdatesController {
  constructor(private readonly changes: LiveChanges) {}

  @Sse()
  @Roles('HQ_ANALYST', 'ADMIN', 'IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY')
  @ApiOperation({ summary: 'Cases and approvals changed in your scope, as they are applied (text/event-stream)' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: '`event: change` data `{"kind":"case"|"approval","id":"…"}`; `event: resync`; a heartbeat every 25 s' })
  stream(@CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    const changes = this.changes.stream.pipe(
      filter((change) => change.kind === 'resync' || scopeCovers(principal.scope, change.place)),
      map((change): MessageEvent =>
        change.kind === 'resync' ? { type: 'resync', data: {} } : { type: 'change', data: { kind: change.kind, id: change.id } },
      ),
    );
    const heartbeats = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: {} })));
    return merge(changes, heartbeats).pipe(takeUntil(this.changes.shuttingDown));
  }
}
