import { earlyInterventionWhatIf, FindingStep, RaisedFlag } from './what-if';

const finding = (serviceNumber: string, caseId: string, at: string, clauses = ['SND-1'], outcome = 'substantiated'): FindingStep => ({
  serviceNumber,
  caseId,
  type: 'FindingRecorded',
  at,
  detail: { outcome, clauses },
});
const step = (type: 'AppealDecided' | 'CaseReopened', serviceNumber: string, caseId: string, at: string, outcome?: string): FindingStep => ({
  serviceNumber,
  caseId,
  type,
  at,
  detail: outcome ? { outcome } : {},
});

describe('earlyInterventionWhatIf', () => {
  const history: FindingStep[] = [
    finding('KHI-1', 'c1', '2026-01-10T00:00:00Z'),
    finding('KHI-1', 'c2', '2026-03-10T00:00:00Z', ['SND-3']),
    finding('KHI-1', 'c3', '2026-05-10T00:00:00Z'),
    finding('KHI-2', 'c4', '2026-02-01T00:00:00Z'),
    finding('KHI-2', 'c5', '2026-04-01T00:00:00Z'),
    // KHI-2's second finding is set aside on appeal in June.
    step('AppealDecided', 'KHI-2', 'c5', '2026-06-01T00:00:00Z', 'upheld'),
    finding('KHI-3', 'c6', '2026-02-01T00:00:00Z'),
    finding('KHI-3', 'c7', '2026-04-01T00:00:00Z'),
    // KHI-3's case c7 is reopened, then found again not substantiated.
    step('CaseReopened', 'KHI-3', 'c7', '2026-05-01T00:00:00Z'),
    finding('KHI-3', 'c7', '2026-05-20T00:00:00Z', [], 'not-substantiated'),
    finding('KHI-4', 'c8', '2026-02-01T00:00:00Z'),
    finding('KHI-4', 'c9', '2026-04-01T00:00:00Z'),
    // An appeal that only reduced the sanction leaves the finding standing.
    step('AppealDecided', 'KHI-4', 'c9', '2026-05-01T00:00:00Z', 'sanction-reduced'),
  ];
  const flags: RaisedFlag[] = [
    { serviceNumber: 'KHI-1', raisedAt: '2026-05-10T00:00:00Z', caseIds: ['c1', 'c2', 'c3'] },
    { serviceNumber: 'KHI-2', raisedAt: '2026-04-01T00:00:00Z', caseIds: ['c4', 'c5'] },
    { serviceNumber: 'KHI-9', raisedAt: '2026-11-01T00:00:00Z', caseIds: ['c99'] },
  ];

  it('flags officers with enough standing findings in the window, and lets lapse the flags it would not raise', () => {
    const answer = earlyInterventionWhatIf(history, flags, { substantiatedFindings: 2, withinDays: 365 }, '2026-07-01T00:00:00Z');
    expect(answer).toEqual({
      asOf: '2026-07-01T00:00:00.000Z',
      threshold: { substantiatedFindings: 2, withinDays: 365 },
      windowStart: '2025-07-01T00:00:00.000Z',
      flagged: [
        { serviceNumber: 'KHI-1', caseIds: ['c1', 'c2', 'c3'], alreadyFlagged: true },
        { serviceNumber: 'KHI-4', caseIds: ['c8', 'c9'], alreadyFlagged: false },
      ],
      // KHI-2's appeal was upheld; KHI-9's flag comes after the date.
      lapsing: [flags[1]],
    });
  });

  it('replays history as of the date: before the appeal, KHI-2 still counted', () => {
    const answer = earlyInterventionWhatIf(history, flags, { substantiatedFindings: 2, withinDays: 365 }, '2026-04-15T00:00:00Z');
    expect(answer.flagged.map((officer) => officer.serviceNumber)).toEqual(['KHI-1', 'KHI-2', 'KHI-3', 'KHI-4']);
    expect(answer.lapsing).toEqual([]);
  });

  it('counts only the clauses asked for, and only inside the window', () => {
    const bySnd1 = earlyInterventionWhatIf(history, [], { substantiatedFindings: 2, withinDays: 365, clauses: ['SND-1'] }, '2026-07-01T00:00:00Z');
    expect(bySnd1.flagged).toEqual([
      { serviceNumber: 'KHI-1', caseIds: ['c1', 'c3'], alreadyFlagged: false },
      { serviceNumber: 'KHI-4', caseIds: ['c8', 'c9'], alreadyFlagged: false },
    ]);
    const short = earlyInterventionWhatIf(history, flags, { substantiatedFindings: 2, withinDays: 90 }, '2026-07-01T00:00:00Z');
    expect(short.flagged).toEqual([]);
    expect(short.lapsing).toEqual([flags[0], flags[1]]);
  });
});
