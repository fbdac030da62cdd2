import { earlyInterventionFor, OfficerHistory } from './early-intervention';
import { sindh } from './testing/case-fixtures';

// Sindh v2: flag after 3 substantiated findings within 365 days.
const now = '2026-06-01T09:00:00.000Z';
const finding = (caseId: string, recordedAt: string) => ({ caseId, recordedAt });
const history = (findings: { caseId: string; recordedAt: string }[], flaggedCaseIds: string[] = []): OfficerHistory => ({
  serviceNumber: 'KHI-40172',
  substantiatedFindings: findings,
  flaggedCaseIds,
});
const three = [
  finding('case-b', '2026-01-10T09:00:00.000Z'),
  finding('case-a', '2025-07-01T09:00:00.000Z'),
  finding('case-c', '2026-05-30T09:00:00.000Z'),
];

describe('early intervention', () => {
  it('raises a flag at the pack’s threshold, naming the cases oldest first', () => {
    expect(earlyInterventionFor(history(three), sindh, now)).toEqual({
      type: 'EarlyInterventionFlagRaised',
      data: {
        serviceNumber: 'KHI-40172',
        caseIds: ['case-a', 'case-b', 'case-c'],
        threshold: { substantiatedFindings: 3, withinDays: 365 },
        policy: { packId: 'sindh', version: 2 },
        windowStart: '2025-06-01T09:00:00.000Z',
        raisedAt: now,
      },
    });
  });

  it('raises nothing below the threshold', () => {
    expect(earlyInterventionFor(history(three.slice(0, 2)), sindh, now)).toBeUndefined();
  });

  it('counts only the rolling window: a finding older than 365 days drops out', () => {
    const aged = [...three.slice(0, 2), finding('case-c', '2025-06-01T09:00:00.000Z')];
    expect(earlyInterventionFor(history(aged), sindh, now)).toBeUndefined();
    const justInside = [...three.slice(0, 2), finding('case-c', '2025-06-01T09:00:00.001Z')];
    expect(earlyInterventionFor(history(justInside), sindh, now)?.data.caseIds).toHaveLength(3);
  });

  it('ignores findings after `now`, so a flag "as of" a past date stays the same', () => {
    const withLater = [...three.slice(0, 2), finding('case-c', '2026-06-02T09:00:00.000Z')];
    expect(earlyInterventionFor(history(withLater), sindh, now)).toBeUndefined();
  });

  it('counts a reopened case once, by its latest finding up to now', () => {
    const reopened = [...three.slice(0, 2), finding('case-b', '2026-05-01T09:00:00.000Z')];
    expect(earlyInterventionFor(history(reopened), sindh, now)).toBeUndefined();
    const laterSupersedes = [...three, finding('case-a', '2026-07-01T09:00:00.000Z')];
    expect(earlyInterventionFor(history(laterSupersedes), sindh, now)?.data.caseIds).toEqual(['case-a', 'case-b', 'case-c']);
  });

  it('does not raise again for the same cases (re-running changes nothing)', () => {
    expect(earlyInterventionFor(history(three, ['case-a', 'case-b', 'case-c']), sindh, now)).toBeUndefined();
  });

  it('raises again when a new case joins the window', () => {
    const four = [...three, finding('case-d', '2026-05-31T09:00:00.000Z')];
    expect(earlyInterventionFor(history(four, ['case-a', 'case-b', 'case-c']), sindh, now)?.data.caseIds).toEqual([
      'case-a',
      'case-b',
      'case-c',
      'case-d',
    ]);
  });

  it('takes threshold and window from the pack', () => {
    const stricter = { ...sindh, earlyIntervention: { substantiatedFindings: 2, withinDays: 30 } };
    const flag = earlyInterventionFor(history(three), stricter, now);
    expect(flag).toBeUndefined();
    const twoRecent = [finding('case-x', '2026-05-10T09:00:00.000Z'), finding('case-y', '2026-05-30T09:00:00.000Z')];
    expect(earlyInterventionFor(history(twoRecent), stricter, now)?.data).toMatchObject({
      caseIds: ['case-x', 'case-y'],
      threshold: { substantiatedFindings: 2, withinDays: 30 },
      windowStart: '2026-05-02T09:00:00.000Z',
    });
  });
});
