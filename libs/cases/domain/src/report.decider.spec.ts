import { RecordApprovalCoverage } from './case.commands';
import { CaseEvent } from './case.events';
import {
  authority,
  caseId,
  closedCase,
  coverageFound,
  decided,
  evidence,
  investigator,
  mediaTeam,
  officerConcerned,
  pack,
  punjabInvestigator,
  report,
  reported,
  reportedAt,
  sindh,
  spec,
  ssp,
} from './testing/case-fixtures';

const punjab = pack('punjab', 1);
const kp = pack('khyber-pakhtunkhwa', 1);
const lahore = { province: 'punjab', district: 'lahore', unitId: 'ps-gulberg' };
const peshawar = { province: 'khyber-pakhtunkhwa', district: 'peshawar', unitId: 'ps-saddar' };
const lahoreInvestigator = { ...punjabInvestigator, scope: { province: 'punjab' } };
const peshawarInvestigator = { ...punjabInvestigator, id: 'ia-peshawar', scope: { province: 'khyber-pakhtunkhwa' } };

describe('case: report a violation', () => {
  it('opens the case, judged under the pack version in force, citing it and the clauses alleged', () => {
    spec([]).when(report()).then([reported]);
  });

  it('may be reported by a supervisor (approving authority) in scope', () => {
    spec([])
      .when(report({ actor: ssp }))
      .then([{ ...reported, data: { ...reported.data, reportedBy: ssp.id } }]);
  });

  it('records the earlier version for conduct before the later one took effect', () => {
    const sindhV1 = pack('sindh', 1);
    const command = report({ pack: sindhV1, observedAt: '2024-06-01T10:00:00.000Z', becameKnownAt: '2024-06-02T10:00:00.000Z' });
    const [event] = decided([], command);
    expect(event).toMatchObject({ type: 'ViolationReported', data: { policy: { packId: 'sindh', version: 1, clauses: ['SND-1'] } } });
  });

  it('refuses a clause the version in force did not have yet (SND-7 under Sindh v1)', () => {
    const sindhV1 = pack('sindh', 1);
    const error = spec([])
      .when(report({ pack: sindhV1, clauses: ['SND-7'], observedAt: '2024-06-01T10:00:00.000Z', becameKnownAt: '2024-06-02T10:00:00.000Z' }))
      .thenThrows('case.clause-not-applicable');
    expect([error.clause, error.field, error.message]).toEqual(['SND-7', 'clauses', expect.stringContaining('not in policy pack sindh v1')]);
  });

  it('refuses PB-1 (Punjab, on duty only) for an off-duty post, with the reason', () => {
    const error = spec([])
      .when(report({ actor: lahoreInvestigator, jurisdiction: lahore, pack: punjab, clauses: ['PB-1'], onDuty: false }))
      .thenThrows('case.clause-not-applicable');
    expect([error.kind, error.clause, error.message]).toEqual(['invalid', 'PB-1', expect.stringContaining('PB-1 applies only on duty')]);
  });

  it('accepts PB-1 for an on-duty post', () => {
    const [event] = decided([], report({ actor: lahoreInvestigator, jurisdiction: lahore, pack: punjab, clauses: ['PB-1'], onDuty: true }));
    expect(event).toMatchObject({ data: { policy: { packId: 'punjab', version: 1, clauses: ['PB-1'] } } });
  });

  it('accepts KP-1 (any use) for an off-duty post without uniform', () => {
    const conduct = { kinds: [], features: [], usedOfficialAccount: false, platformPermitted: false };
    const [event] = decided([], report({ actor: peshawarInvestigator, jurisdiction: peshawar, pack: kp, clauses: ['KP-1'], onDuty: false, conduct }));
    expect(event).toMatchObject({ data: { policy: { packId: 'khyber-pakhtunkhwa', version: 1, clauses: ['KP-1'] } } });
  });

  it('refuses SND-1 for a post that is not a video, and names the first clause that fails', () => {
    const conduct = { kinds: ['image' as const], features: ['uniform' as const], usedOfficialAccount: false, platformPermitted: false };
    const error = spec([])
      .when(report({ conduct, clauses: ['SND-4', 'SND-1'] }))
      .thenThrows('case.clause-not-applicable');
    expect(error.clause).toBe('SND-1');
  });

  it('refuses a report that alleges no clause', () => {
    expect(
      spec([])
        .when(report({ clauses: [] }))
        .thenThrows('case.no-clause-alleged').field,
    ).toBe('clauses');
  });

  it('refuses a second report on the same case id', () => {
    spec([reported]).when(report()).thenThrows('case.already-exists');
  });

  it('refuses a reporter without an investigating or supervising role', () => {
    spec([])
      .when(report({ actor: mediaTeam }))
      .thenThrows('case.role-required');
    spec([])
      .when(report({ actor: authority }))
      .thenThrows('case.role-required');
  });

  it('refuses a reporter whose scope does not cover the case', () => {
    spec([])
      .when(report({ actor: punjabInvestigator }))
      .thenThrows('case.out-of-scope');
  });

  it('refuses an officer reporting a case about themselves', () => {
    spec([])
      .when(report({ actor: { ...officerConcerned, roles: ['IA_INVESTIGATOR'] } }))
      .thenThrows('case.own-case');
  });

  it('refuses evidence whose hash is not SHA-256 hex', () => {
    const error = spec([])
      .when(report({ evidence: { ...evidence, sha256: 'ABC' } }))
      .thenThrows('case.bad-evidence-hash');
    expect(error.field).toBe('evidence.sha256');
  });

  it.each([
    ['observedAt', { observedAt: '2026-03-04T00:00:00.000Z', becameKnownAt: '2026-03-04T00:00:00.000Z' }],
    ['becameKnownAt', { becameKnownAt: '2026-03-04T00:00:00.000Z' }],
    ['evidence.capturedAt', { evidence: { ...evidence, capturedAt: '2026-03-04T00:00:00.000Z' } }],
  ])('refuses %s in the future', (field, overrides) => {
    expect(spec([]).when(report(overrides)).thenThrows('case.time-in-future').field).toBe(field);
  });

  it('refuses conduct that became known before it happened', () => {
    spec([])
      .when(report({ becameKnownAt: '2026-02-28T00:00:00.000Z' }))
      .thenThrows('case.known-before-observed');
  });

  it('refuses a pack that does not govern the province', () => {
    expect(
      spec([])
        .when(report({ pack: punjab }))
        .thenThrows('case.pack-not-for-province').field,
    ).toBe('jurisdiction.province');
  });

  it('refuses a pack that took effect after the conduct', () => {
    expect(
      spec([])
        .when(report({ observedAt: '2024-06-01T10:00:00.000Z' }))
        .thenThrows('case.pack-not-in-force').field,
    ).toBe('observedAt');
  });

  it('refuses a pack without a chain of command to escalate to', () => {
    spec([])
      .when(report({ pack: { ...sindh, escalationChain: [] } }))
      .thenThrows('case.pack-without-chain');
  });
});

describe('case: approval coverage', () => {
  const coverage = (overrides: Partial<RecordApprovalCoverage['data']> = {}): RecordApprovalCoverage => ({
    type: 'RecordApprovalCoverage',
    data: {
      approvalId: 'appr-1',
      accountId: 'acc-ssp-south',
      mediaSha256: evidence.sha256,
      publishedAt: '2026-02-28T09:00:00.000Z',
      now: reportedAt,
      ...overrides,
    },
  });

  it('records an approved publication of the same media through an official account', () => {
    spec([reported]).when(coverage()).then([coverageFound]);
  });

  it('matches evidence added after the report too', () => {
    const added: CaseEvent = {
      type: 'EvidenceAdded',
      data: { caseId, evidence: { ...evidence, evidenceId: 'ev-2', sha256: 'b'.repeat(64) }, addedBy: investigator.id, addedAt: reportedAt },
    };
    const [event] = decided([reported, added], coverage({ mediaSha256: 'b'.repeat(64) }));
    expect(event).toMatchObject({ type: 'ApprovalCoverageFound', data: { mediaSha256: 'b'.repeat(64) } });
  });

  it('refuses media that matches no evidence on the case, citing SND-1', () => {
    const error = spec([reported])
      .when(coverage({ mediaSha256: 'c'.repeat(64) }))
      .thenThrows('case.coverage-hash-mismatch');
    expect([error.clause, error.field]).toEqual(['SND-1', 'mediaSha256']);
  });

  it('refuses a malformed hash', () => {
    spec([reported])
      .when(coverage({ mediaSha256: 'nope' }))
      .thenThrows('case.bad-evidence-hash');
  });

  it('refuses the same approval twice', () => {
    spec([reported, coverageFound]).when(coverage()).thenThrows('case.coverage-already-recorded');
  });

  it('refuses an unknown case and a closed one', () => {
    spec([]).when(coverage()).thenThrows('case.not-found');
    spec(closedCase).when(coverage()).thenThrows('case.closed');
  });
});
