import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaseActor } from '@conduct/cases-domain';
import { PolicyCatalogue } from '@conduct/policy';
import { HistoryRefused, legacyCaseHistory } from './legacy-case-history';
import { LegacyCase, readLegacyCases } from './legacy-case-rows';

const example = readLegacyCases(readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'import-example.csv'), 'utf8')).cases;
const catalogue = PolicyCatalogue.builtIn();
const importer: CaseActor = { id: 'import', roles: ['IA_INVESTIGATOR', 'DISCIPLINARY_AUTHORITY'], scope: {} };
const importedAt = '2026-12-07T00:00:00.000Z';
const historyOf = (legacy: LegacyCase) =>
  legacyCaseHistory(legacy, 'case-1', catalogue.versionInForce(legacy.jurisdiction.province, legacy.observedAt), importer, importedAt);
const typesAndDates = (legacy: LegacyCase) => historyOf(legacy).map(({ event, occurredAt }) => [event.type, occurredAt]);

describe('legacyCaseHistory', () => {
  it('tells a closed case as it happened: report, notice removed in time, finding, minor sanction, closure', () => {
    expect(typesAndDates(example[0]!)).toEqual([
      ['ViolationReported', '2024-05-06T06:00:00.000Z'],
      ['InvestigatorAssigned', '2024-05-06T06:00:00.000Z'],
      ['TakedownNoticeIssued', '2024-05-06T07:00:00.000Z'],
      ['ContentRemovalConfirmed', '2024-05-08T11:00:00.000Z'],
      ['FindingRecorded', '2024-06-10T05:00:00.000Z'],
      ['SanctionImposed', '2024-06-20T05:00:00.000Z'],
      ['CaseClosed', '2024-08-01T05:00:00.000Z'],
    ]);
    // Judged by the pack in force when the conduct occurred: Sindh v1 in May 2024.
    expect(historyOf(example[0]!)[0]!.event.data).toMatchObject({ policy: { packId: 'sindh', version: 1 }, reportedAt: '2024-05-06T06:00:00.000Z' });
  });

  it('gives a major penalty its due process: the reply period lapsed unanswered, the hearing held without the officer', () => {
    expect(typesAndDates(example[1]!)).toEqual([
      ['ViolationReported', '2025-02-13T05:00:00.000Z'],
      ['InvestigatorAssigned', '2025-02-13T05:00:00.000Z'],
      ['TakedownNoticeIssued', '2025-02-13T06:00:00.000Z'],
      ['ContentRemovalConfirmed', '2025-02-14T05:00:00.000Z'],
      ['FindingRecorded', '2025-03-03T05:00:00.000Z'],
      ['ShowCauseNoticeIssued', '2025-03-05T05:00:00.000Z'],
      ['ShowCauseReplyLapsed', '2025-03-19T05:00:00.000Z'],
      ['PersonalHearingHeld', '2025-03-25T06:00:00.000Z'],
      ['SanctionImposed', '2025-03-28T05:00:00.000Z'],
      ['CaseClosed', '2025-05-02T05:00:00.000Z'],
    ]);
  });

  it('records a takedown deadline that passed with the content still up as missed, and escalated, at the deadline', () => {
    expect(typesAndDates(example[2]!)).toEqual([
      ['ViolationReported', '2025-09-23T05:00:00.000Z'],
      ['TakedownNoticeIssued', '2025-09-23T07:00:00.000Z'],
      ['TakedownDeadlineMissed', '2025-09-30T07:00:00.000Z'],
      ['CaseEscalated', '2025-09-30T07:00:00.000Z'],
    ]);
    // Removed late: missed first, then removal confirmed after the deadline.
    const late = { ...example[2]!, takedown: { servedAt: '2025-09-23T07:00:00.000Z', removedAt: '2025-10-02T07:00:00.000Z' } };
    expect(historyOf(late).map(({ event }) => event.type)).toEqual([
      'ViolationReported',
      'TakedownNoticeIssued',
      'TakedownDeadlineMissed',
      'CaseEscalated',
      'ContentRemovalConfirmed',
    ]);
  });

  it.each([
    ['a major penalty without due process', { showCause: undefined }, 'ImposeSanction refused: case.due-process-incomplete (sanction)'],
    [
      'a closure inside the appeal window',
      { closure: { closedAt: '2025-04-01T05:00:00.000Z', reasons: ['Done'] } },
      'CloseCase refused: case.appeal-window-open',
    ],
    ['a clause that cannot apply to an off-duty post', { onDuty: false }, 'ReportViolation refused: case.clause-not-applicable (clauses)'],
    [
      'a sanction the pack does not list',
      { sanction: { sanction: 'flogging', imposedAt: '2025-03-28T05:00:00.000Z', reasons: ['x'] } },
      'case.unknown-sanction',
    ],
    ['a step after the import', { closure: { closedAt: '2027-01-01T00:00:00.000Z', reasons: ['Done'] } }, 'CloseCase refused: case.time-in-future'],
  ])('refuses %s, naming the step and the rule', (_what, changes, reason) => {
    expect(() => historyOf({ ...example[1]!, ...changes })).toThrow(HistoryRefused);
    expect(() => historyOf({ ...example[1]!, ...changes })).toThrow(reason);
  });
});
