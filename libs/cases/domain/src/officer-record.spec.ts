import { DomainError, fold } from '@conduct/decider';
import { OfficerRecordCommand, officerRecordDecider, OfficerRecordEvent } from './officer-record';

const admin = { id: 'admin-hq' };
const serviceNumber = 'KHI-40172';
const hold = (holdId: string, now = '2026-06-01T09:00:00.000Z'): OfficerRecordCommand => ({
  type: 'PlaceLegalHold',
  data: { serviceNumber, holdId, reasons: ['A writ petition names the officer'], actor: admin, now },
});
const release = (holdId: string): OfficerRecordCommand => ({
  type: 'ReleaseLegalHold',
  data: { serviceNumber, holdId, reasons: ['The petition was disposed of'], actor: admin, now: '2026-09-15T09:00:00.000Z' },
});
const erase = (openCaseIds: string[] = [], reasons = ['The officer asked for erasure']): OfficerRecordCommand => ({
  type: 'ErasePersonalData',
  data: { serviceNumber, reasons, openCaseIds, basis: 'request', actor: admin, now: '2026-10-01T09:00:00.000Z' },
});

/** Runs commands in turn, as the command runner would, and returns every event. */
function run(...commands: OfficerRecordCommand[]): OfficerRecordEvent[] {
  const events: OfficerRecordEvent[] = [];
  for (const command of commands) events.push(...officerRecordDecider.decide(command, fold(officerRecordDecider, events)));
  return events;
}

const refusal = (work: () => unknown): Pick<DomainError, 'kind' | 'code'> | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { kind: error.kind, code: error.code };
  }
};

describe("an officer's record: legal holds and erasure", () => {
  it('erases when no case is open and no hold stands, recording who, when, why and on what basis', () => {
    expect(run(erase())).toEqual([
      {
        type: 'PersonalDataErased',
        data: {
          serviceNumber,
          reasons: ['The officer asked for erasure'],
          basis: 'request',
          erasedBy: 'admin-hq',
          erasedAt: '2026-10-01T09:00:00.000Z',
        },
      },
    ]);
  });

  it('refuses erasure while a case about the officer is open, naming it', () => {
    expect(refusal(() => run(erase(['c0ffee00-0000-4000-8000-000000000001'])))).toEqual({ kind: 'conflict', code: 'officer-record.open-cases' });
  });

  it('refuses erasure while a legal hold stands, and allows it once every hold is released', () => {
    const a = '8d6f2b1e-4c3a-4e5f-9a7b-1c2d3e4f5a6b';
    const b = '9d6f2b1e-4c3a-4e5f-9a7b-1c2d3e4f5a6b';
    expect(refusal(() => run(hold(a), erase()))).toEqual({ kind: 'conflict', code: 'officer-record.legal-hold' });
    expect(refusal(() => run(hold(a), hold(b), release(a), erase()))).toEqual({ kind: 'conflict', code: 'officer-record.legal-hold' });
    const events = run(hold(a), hold(b), release(a), release(b), erase());
    expect(events.map((event) => event.type)).toEqual([
      'LegalHoldPlaced',
      'LegalHoldPlaced',
      'LegalHoldReleased',
      'LegalHoldReleased',
      'PersonalDataErased',
    ]);
    expect(fold(officerRecordDecider, events)).toEqual({
      holds: [],
      erasures: [{ erasedAt: '2026-10-01T09:00:00.000Z', erasedBy: 'admin-hq', basis: 'request' }],
    });
  });

  it('refuses a hold placed twice, a release of a hold that does not stand, and a command without reasons', () => {
    const a = '8d6f2b1e-4c3a-4e5f-9a7b-1c2d3e4f5a6b';
    expect(refusal(() => run(hold(a), hold(a)))).toEqual({ kind: 'conflict', code: 'officer-record.hold-exists' });
    expect(refusal(() => run(release(a)))).toEqual({ kind: 'not-found', code: 'officer-record.hold-not-found' });
    expect(refusal(() => run(erase([], [' ? '])))).toEqual({ kind: 'invalid', code: 'officer-record.reasons-required' });
  });

  it("passes over the early-intervention flags that share the officer's stream", () => {
    const flag = { type: 'EarlyInterventionFlagRaised', data: { serviceNumber } } as unknown as OfficerRecordEvent;
    expect(officerRecordDecider.evolve(officerRecordDecider.initialState, flag)).toEqual(officerRecordDecider.initialState);
  });
});
