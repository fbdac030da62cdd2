import { DomainError } from '@conduct/decider';
import { evaluateClauses, nextEscalationLevel, PolicyPackVersion } from '@conduct/policy';
import { authorize } from './case-access';
import { RecordApprovalCoverage, ReportViolation } from './case.commands';
import { CaseEvent } from './case.events';
import { at, existingCase, requireHappened, requireOpen, requireSha256 } from './case-guards';
import { CaseState } from './case.state';

type Report = ReportViolation['data'];

function requireTimeline(report: Report): void {
  for (const field of ['observedAt', 'becameKnownAt'] as const) requireHappened(report[field], field, report.now);
  requireHappened(report.evidence.capturedAt, 'evidence.capturedAt', report.now);
  if (at(report.becameKnownAt) < at(report.observedAt)) {
    throw new DomainError('invalid', 'case.known-before-observed', 'becameKnownAt lies before observedAt', undefined, 'becameKnownAt');
  }
}

/** The handler looks the pack up; this checks it is one that can judge this conduct at all. */
function requirePackFor(pack: PolicyPackVersion, report: Report): void {
  if (!pack.provinces.includes(report.jurisdiction.province)) {
    throw new DomainError(
      'invalid',
      'case.pack-not-for-province',
      `${pack.packId} v${pack.version} does not govern ${report.jurisdiction.province}`,
      undefined,
      'jurisdiction.province',
    );
  }
  const effectiveFrom = pack.effectiveFrom.length === 10 ? `${pack.effectiveFrom}T00:00:00Z` : pack.effectiveFrom;
  if (at(effectiveFrom) > at(report.observedAt)) {
    throw new DomainError(
      'invalid',
      'case.pack-not-in-force',
      `${pack.packId} v${pack.version} took effect after observedAt`,
      undefined,
      'observedAt',
    );
  }
}

/** Every alleged clause must apply to the conduct under the pack (a Punjab on-duty rule never to an off-duty post). */
function requireApplicableClauses(pack: PolicyPackVersion, report: Report): void {
  if (report.clauses.length === 0)
    throw new DomainError('invalid', 'case.no-clause-alleged', 'A case alleges at least one clause', undefined, 'clauses');
  const { conduct } = report;
  const facts = { ...conduct, observedAt: report.observedAt, onDuty: report.onDuty, platform: report.platform };
  const refused = evaluateClauses(pack, facts, report.clauses).clauses.find((clause) => !clause.applies);
  if (refused) {
    const why = refused.reasons.map((reason) => reason.message).join('; ');
    throw new DomainError('invalid', 'case.clause-not-applicable', `${refused.clauseId} does not apply: ${why}`, refused.clauseId, 'clauses');
  }
}

function lowestLevel(pack: PolicyPackVersion): string {
  const level = nextEscalationLevel(pack);
  if (level === undefined) throw new DomainError('invalid', 'case.pack-without-chain', `${pack.packId} v${pack.version} has no chain of command`);
  return level;
}

export function reportViolation({ data }: ReportViolation, state: CaseState): CaseEvent[] {
  if (state.status !== 'none') throw new DomainError('conflict', 'case.already-exists', `case ${data.caseId} already exists`);
  authorize('ReportViolation', data.actor, data);
  requireSha256(data.evidence.sha256, 'evidence.sha256');
  requireTimeline(data);
  requirePackFor(data.pack, data);
  requireApplicableClauses(data.pack, data);
  const { caseId, officer, jurisdiction, platform, contentUrl, conduct, evidence, observedAt, becameKnownAt, onDuty, description, pack } = data;
  return [
    {
      type: 'ViolationReported',
      data: {
        caseId,
        officer,
        jurisdiction,
        platform,
        contentUrl,
        conduct,
        evidence,
        observedAt,
        becameKnownAt,
        onDuty,
        description,
        policy: { packId: pack.packId, version: pack.version, clauses: data.clauses },
        escalationLevel: lowestLevel(pack),
        reportedBy: data.actor.id,
        reportedAt: data.now,
      },
    },
  ];
}

/** Recorded before anyone acts, so the investigator sees that the content may be compliant (SND-1, SND-5). */
export function recordApprovalCoverage({ data }: RecordApprovalCoverage, state: CaseState): CaseEvent[] {
  const current = existingCase(state);
  requireOpen(current);
  requireSha256(data.mediaSha256, 'mediaSha256');
  if (!current.file.evidence.some((evidence) => evidence.sha256 === data.mediaSha256)) {
    throw new DomainError(
      'invalid',
      'case.coverage-hash-mismatch',
      'The approved media matches none of the evidence on the case',
      'SND-1',
      'mediaSha256',
    );
  }
  if (current.file.coveringApprovalIds.includes(data.approvalId)) {
    throw new DomainError('conflict', 'case.coverage-already-recorded', `Approval ${data.approvalId} is already recorded on this case`);
  }
  const { approvalId, accountId, mediaSha256, publishedAt, now } = data;
  return [
    { type: 'ApprovalCoverageFound', data: { caseId: current.file.report.caseId, approvalId, accountId, mediaSha256, publishedAt, foundAt: now } },
  ];
}
