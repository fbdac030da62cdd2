import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PolicyCatalogue } from '@conduct/policy';
import { idempotencyOf, newStreamId, StreamCommands } from '@conduct/event-sourcing';
import { PersonalDataKeys } from '@conduct/personal-data';
import { CASES } from '../case-stream';
import { UnitPlacements } from '../hierarchy/unit-placements';
import { CaseReported, ReportViolationCommand } from './report-violation.command';

const iso = (value: string): string => new Date(value).toISOString();

@CommandHandler(ReportViolationCommand)
export class ReportViolationHandler implements ICommandHandler<ReportViolationCommand, CaseReported> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly catalogue: PolicyCatalogue,
    private readonly units: UnitPlacements,
    private readonly personalData: PersonalDataKeys,
  ) {}

  async execute({ request, principal, correlationId, idempotencyKey }: ReportViolationCommand): Promise<CaseReported> {
    const caseId = newStreamId('cases', principal, idempotencyKey);
    // Where the registry has the unit, not where the request says it is: scope is checked against it.
    const jurisdiction = await this.units.place(request.jurisdiction);
    // The pack in force where and when the conduct happened judges the case for good.
    const pack = this.catalogue.versionInForce(jurisdiction.province, request.observedAt);
    // The officer's name is recorded sealed under their key: erasure deletes the key (ADR 21). A
    // new report names them anew, after an erasure too (a new key; what was erased stays so).
    const officerName = await this.personalData.seal(request.officer.serviceNumber, request.officer.name, { renew: true });
    const { version } = await this.streams
      .of(CASES)
      .create({ streamId: caseId, principal, correlationId, ...idempotencyOf(idempotencyKey, request) }, ({ actor, now }) => ({
        type: 'ReportViolation',
        data: {
          caseId,
          actor,
          officer: { ...request.officer, name: officerName },
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
      }));
    return { caseId, status: 'open', stage: 'investigating', version };
  }
}
