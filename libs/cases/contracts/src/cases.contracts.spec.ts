import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { clearedCase, contestedCase, coveredCase, earlyInterventionFlag, officerRecord } from './testing/case-lifecycle';
import { CaseContractType, casesContracts } from './index';

const problemsOf = async (event: { type: string; data: object }, forbidUnknownFields = true): Promise<string[]> => {
  const contract: new () => object = casesContracts[event.type as CaseContractType].data;
  const options = forbidUnknownFields ? { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } : { forbidUnknownValues: true };
  const errors = await validate(plainToInstance(contract, event.data), options);
  return errors.map((error) => error.property);
};

/** Every event the case domain produces, from real runs of the deciders and the early-intervention rule. */
const emitted = () => [...contestedCase(), ...clearedCase(), ...coveredCase(), earlyInterventionFlag(), ...officerRecord()];

describe('cases contracts', () => {
  it('cover exactly the event types the domain emits, at schema version 1', () => {
    expect([...new Set(emitted().map((event) => event.type))].sort()).toEqual(Object.keys(casesContracts).sort());
    expect(Object.values(casesContracts).every((contract) => contract.schemaVersion === 1)).toBe(true);
  });

  it('accept exactly the data the decider produces, declaring every field', async () => {
    for (const event of emitted()) expect({ type: event.type, problems: await problemsOf(event) }).toEqual({ type: event.type, problems: [] });
  });

  it('refuse data that breaks them', async () => {
    const [reported, , , , , , escalated] = contestedCase();
    expect(escalated?.type).toBe('CaseEscalated');
    const report = reported!.data as unknown as Record<string, unknown>;
    const conduct = report['conduct'] as Record<string, unknown>;
    expect(await problemsOf({ type: 'ViolationReported', data: { ...report, conduct: { ...conduct, features: ['badge'] } } }, false)).toEqual([
      'conduct',
    ]);
    expect(await problemsOf({ type: 'ViolationReported', data: { ...report, policy: { packId: 'sindh', version: 2, clauses: [] } } }, false)).toEqual(
      ['policy'],
    );
    expect(
      await problemsOf({ type: 'ViolationReported', data: { ...report, evidence: { ...(report['evidence'] as object), sha256: 'ABC' } } }, false),
    ).toEqual(['evidence']);
    const { officer: _officer, ...withoutOfficer } = report;
    expect(await problemsOf({ type: 'ViolationReported', data: withoutOfficer }, false)).toEqual(['officer']);
    expect(await problemsOf({ type: 'CaseEscalated', data: { ...escalated!.data, reason: 'bored' } }, false)).toEqual(['reason']);
  });

  it('require clauses and an appeal window of a substantiated finding only, and the reduced sanction of a reduction only', async () => {
    const finding = contestedCase().find((event) => event.type === 'FindingRecorded')!.data as unknown as Record<string, unknown>;
    const { clauses: _clauses, appealableUntil: _until, ...bare } = finding;
    expect(await problemsOf({ type: 'FindingRecorded', data: bare }, false)).toEqual(['clauses', 'appealableUntil']);
    expect(await problemsOf({ type: 'FindingRecorded', data: { ...bare, outcome: 'not-substantiated' } }, false)).toEqual([]);
    expect(await problemsOf({ type: 'FindingRecorded', data: { ...finding, clauses: [] } }, false)).toEqual(['clauses']);

    const decision = contestedCase().find((event) => event.type === 'AppealDecided')!.data as unknown as Record<string, unknown>;
    const { reducedTo: _to, severity: _severity, ...ruling } = decision;
    expect(await problemsOf({ type: 'AppealDecided', data: ruling }, false)).toEqual(['reducedTo', 'severity']);
    expect(await problemsOf({ type: 'AppealDecided', data: { ...ruling, outcome: 'dismissed' } }, false)).toEqual([]);
    expect(await problemsOf({ type: 'AppealDecided', data: { ...decision, severity: 'severe' } }, false)).toEqual(['severity']);
  });
});
