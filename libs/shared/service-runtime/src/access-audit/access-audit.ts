import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { from, mergeMap, Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { AuthenticatedRequest } from '@conduct/auth';
import { currentCorrelationId } from '@conduct/http';
import { CLOCK, Clock } from '@conduct/event-sourcing';

/** What a read disclosed: a case, its events, its timeline, or a report exported as CSV. */
export type AccessAction = 'case.read' | 'case.events' | 'case.timeline' | 'case.dossier' | 'report.csv';

interface AccessAuditOptions {
  /** The route parameter that names the case (default `caseId`); none for exports. */
  caseIdParam?: string;
  /** Record only answers sent as CSV (a report read as JSON is not an export). */
  csvOnly?: boolean;
}

const ACCESS_AUDIT_KEY = 'conduct:access-audit';

/**
 * Records each successful answer of the route in `access_log` before it is sent: who (sub and
 * roles), when, what (action, case, path and query), from which scope. A refused read discloses
 * nothing and is not recorded; a read whose record cannot be written fails rather than go unaudited.
 */
export const AccessAudited = (action: AccessAction, options: AccessAuditOptions = {}): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ACCESS_AUDIT_KEY, { action, ...options }), UseInterceptors(AccessAuditInterceptor));

interface ReadRequest extends AuthenticatedRequest {
  params?: Record<string, string>;
  originalUrl?: string;
  url?: string;
}

@Injectable()
export class AccessAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const audit = this.reflector.getAllAndOverride<({ action: AccessAction } & AccessAuditOptions) | undefined>(ACCESS_AUDIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!audit) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<ReadRequest>();
    const response = http.getResponse<ServerResponse>();
    return next.handle().pipe(
      mergeMap((answer: unknown) =>
        from(
          (async () => {
            const contentType = String(response.getHeader('content-type') ?? '');
            if (!audit.csvOnly || contentType.startsWith('text/csv')) await this.record(audit.action, request, audit.caseIdParam ?? 'caseId');
            return answer;
          })(),
        ),
      ),
    );
  }

  private async record(action: AccessAction, request: ReadRequest, caseIdParam: string): Promise<void> {
    const principal = request.principal!;
    await this.dataSource.query(
      `INSERT INTO access_log (accessed_at, subject, roles, scope, action, case_id, resource, correlation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        this.clock.now(),
        principal.subject,
        [...principal.roles],
        principal.scope,
        action,
        request.params?.[caseIdParam] ?? null,
        request.originalUrl ?? request.url ?? '',
        currentCorrelationId() ?? null,
      ],
    );
  }
}
