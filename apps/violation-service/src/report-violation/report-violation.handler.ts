import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@conduct/decider';
import { ConcurrencyError, EventStore, IdempotencyKeyReusedError, idempotentStreamId, requestHash } from '@conduct/event-store';
import { PolicyCatalogue } from '@conduct/policy';
import { CaseCommands } from '../case-commands';
import { UnitPlacements } from '../hierarchy/unit-placements';
import { CaseReported, ReportViolationCommand } from './report-violation.command';

const iso = (value: string): string => new Date(value).toISOString();

@CommandHandler(ReportViolationCommand)
export class ReportViolationHandler implements ICommandHandler<ReportViolationCommand, CaseReported> {
  constructor(
    private readonly cases: CaseCommands,
    private readonly store: EventStore,
    private readonly catalogue: PolicyCatalogue,
    private readonly units: UnitPlacements,
  ) {}

  async execute({ request, principal, correlationId, idempotencyKey }: ReportViolationCommand): Promise<CaseReported> {
    const caseId = idempotencyKey ? idempotentStreamId('cases', principal.subject, idempotencyKey) : randomUUID();
    const fingerprint = requestHash(request);
    // Where the registry has the unit, not where the request says it is: scope is checked against it.
    const jurisdiction = await this.units.place(request.jurisdiction);
    // The pack in force where and when the conduct happened judges the case for good.
    const pack = this.catalogue.versionInForce(jurisdiction.province, request.observedAt);
    try {
      const { version } = await this.cases.execute(
        { caseId, principal, correlationId, ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash: fingerprint } } : {}) },
        ({ actor, now }) => ({
          type: 'ReportViolation',
          data: {
            caseId,
            actor,
            officer: { ...request.officer },
            jurisdiction,
            platform: request.platform,
            contentUrl: request.contentUrl,
            conduct: { ...request.conduct },
            evidence: {
              evidenceId: randomUUID(),
              sha256: request.evidence.sha256,
              capturedAt: iso(request.evidence.capturedAt),
              capturedBy: principal.subject,
              archiveLocation: request.evidence.archiveLocation,
            },
            clauses: request.clauses,
            observedAt: iso(request.observedAt),
            becameKnownAt: iso(request.becameKnownAt),
            onDuty: request.onDuty,
            description: request.description,
            pack,
            now,
          },
        }),
      );
      return { caseId, status: 'open', stage: 'investigating', version };
    } catch (error) {
      if (idempotencyKey && isRepeat(error)) return this.replay(caseId, idempotencyKey, fingerprint);
      throw error;
    }
  }

  /** A repeated key: the same request gets the first answer, a different one is refused. */
  private async replay(caseId: string, key: string, fingerprint: string): Promise<CaseReported> {
    const [first] = await this.store.readStream(caseId, { toVersion: 1 });
    if (first?.metadata.idempotency?.requestHash !== fingerprint) throw new IdempotencyKeyReusedError(key);
    return { caseId, status: 'open', stage: 'investigating', version: 1 };
  }
}

const isRepeat = (error: unknown): boolean =>
  error instanceof ConcurrencyError || (error instanceof DomainError && error.code === 'case.already-exists');
