import { parsePolicyPack } from './parse-policy-pack';
import {
  appealDeadline,
  dueProcessRequired,
  isEarlyInterventionDue,
  nextEscalationLevel,
  requireClause,
  sanctionSeverity,
  showCauseReplyDueDate,
  takedownDueDate,
} from './pack-rules';
import { PolicyCatalogue } from './policy-catalogue';
import { InvalidInstantError, UnknownClauseError, UnknownEscalationLevelError } from './policy-errors';
import punjabV1 from './packs/punjab-v1.json';

const catalogue = PolicyCatalogue.builtIn();
const sindh = catalogue.versionInForce('sindh', '2025-03-03');
const punjab = catalogue.versionInForce('punjab', '2025-03-03');

describe('takedownDueDate (SND-6)', () => {
  it('is seven days after the notice was served in Sindh', () => {
    expect(takedownDueDate(sindh, '2025-03-03T10:15:00Z')).toBe('2025-03-10T10:15:00.000Z');
    expect(takedownDueDate(sindh, new Date('2025-12-28T23:30:00Z'))).toBe('2026-01-04T23:30:00.000Z');
  });

  it('reads an offset and answers in UTC', () => {
    expect(takedownDueDate(sindh, '2025-03-03T10:00:00+05:00')).toBe('2025-03-10T05:00:00.000Z');
  });

  it('uses the period of the pack, not a constant', () => {
    const threeDays = parsePolicyPack({ ...punjabV1, takedownPeriodDays: 3 });
    expect(takedownDueDate(threeDays, '2025-03-03T10:00:00Z')).toBe('2025-03-06T10:00:00.000Z');
  });

  it('counts 24-hour days on the UTC timeline whatever the server time zone and its DST', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/London'; // clocks went forward on 30 March 2025
    try {
      expect(takedownDueDate(sindh, '2025-03-28T12:00:00Z')).toBe('2025-04-04T12:00:00.000Z');
      expect(takedownDueDate(sindh, '2025-10-24T12:00:00Z')).toBe('2025-10-31T12:00:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('refuses a servedAt that is not an ISO instant', () => {
    expect(() => takedownDueDate(sindh, 'next Monday')).toThrow(InvalidInstantError);
    expect(() => takedownDueDate(sindh, '2025-03-03T10:00:00')).toThrow('servedAt must be an ISO date or timestamp');
  });
});

describe('appealDeadline', () => {
  it('is the appeal window after the decision', () => {
    expect(appealDeadline(sindh, '2025-03-03T09:00:00Z')).toBe('2025-04-02T09:00:00.000Z');
  });
});

describe('sanctionSeverity', () => {
  it.each(['censure', 'withholding-of-increment', 'fine', 'recovery'])('%s is minor', (sanction) => {
    expect(sanctionSeverity(sindh, sanction)).toBe('minor');
  });

  it.each(['reduction-in-rank', 'compulsory-retirement', 'removal', 'dismissal'])('%s is major', (sanction) => {
    expect(sanctionSeverity(sindh, sanction)).toBe('major');
  });

  it('is undefined for a sanction the pack does not list', () => {
    expect(sanctionSeverity(sindh, 'transfer')).toBeUndefined();
  });

  it('follows the lists of the pack', () => {
    const custom = parsePolicyPack({ ...punjabV1, sanctions: { minor: ['warning'], major: ['fine'] } });
    expect(sanctionSeverity(custom, 'warning')).toBe('minor');
    expect(sanctionSeverity(custom, 'fine')).toBe('major');
    expect(sanctionSeverity(custom, 'censure')).toBeUndefined();
  });
});

describe('due process (Police (Efficiency and Discipline) Rules)', () => {
  it('gives the officer the pack’s period to reply to a show-cause notice', () => {
    expect(showCauseReplyDueDate(punjab, '2025-03-03T10:00:00+05:00')).toBe('2025-03-17T05:00:00.000Z');
    const sevenDays = parsePolicyPack({ ...punjabV1, dueProcess: { ...punjabV1.dueProcess, showCauseReplyDays: 7 } });
    expect(showCauseReplyDueDate(sevenDays, '2025-03-03T10:00:00Z')).toBe('2025-03-10T10:00:00.000Z');
  });

  it('is owed before a major penalty and, where the pack says so, before a minor one', () => {
    expect([dueProcessRequired(sindh, 'major'), dueProcessRequired(sindh, 'minor')]).toEqual([true, false]);
    const always = parsePolicyPack({ ...punjabV1, dueProcess: { ...punjabV1.dueProcess, requiredFor: ['minor', 'major'] } });
    expect(dueProcessRequired(always, 'minor')).toBe(true);
  });
});

describe('nextEscalationLevel', () => {
  it('climbs SSP → DIG → AIG → IGP and stops at the top', () => {
    expect(nextEscalationLevel(punjab)).toBe('SSP');
    expect(nextEscalationLevel(punjab, 'SSP')).toBe('DIG');
    expect(nextEscalationLevel(punjab, 'DIG')).toBe('AIG');
    expect(nextEscalationLevel(punjab, 'AIG')).toBe('IGP');
    expect(nextEscalationLevel(punjab, 'IGP')).toBeUndefined();
  });

  it('follows the chain of the pack', () => {
    const kpStyle = parsePolicyPack({ ...punjabV1, escalationChain: ['DPO', 'RPO', 'IGP'] });
    expect(nextEscalationLevel(kpStyle, 'DPO')).toBe('RPO');
  });

  it('refuses a level outside the chain instead of treating it as the top', () => {
    expect(() => nextEscalationLevel(punjab, 'ssp')).toThrow(UnknownEscalationLevelError);
  });
});

describe('isEarlyInterventionDue', () => {
  const at = '2025-03-03T00:00:00Z';

  it('is due at three substantiated findings within 365 days', () => {
    expect(isEarlyInterventionDue(sindh, ['2024-03-04T00:00:01Z', '2024-09-01', '2025-03-03T00:00:00Z'], at)).toBe(true);
  });

  it('is not due at two', () => {
    expect(isEarlyInterventionDue(sindh, ['2024-09-01', '2025-03-01'], at)).toBe(false);
  });

  it('does not count a finding older than the window', () => {
    expect(isEarlyInterventionDue(sindh, ['2024-03-03T00:00:00Z', '2024-09-01', '2025-03-01'], at)).toBe(false);
  });

  it('does not count findings after the moment asked about', () => {
    expect(isEarlyInterventionDue(sindh, ['2024-09-01', '2025-03-01', '2025-03-04'], at)).toBe(false);
  });
});

describe('requireClause', () => {
  it('returns the clause or refuses citing it', () => {
    expect(requireClause(sindh, 'SND-6').category).toBe('takedown');
    const sindhV1 = catalogue.find('sindh', 1)!;
    let refusal: unknown;
    try {
      requireClause(sindhV1, 'SND-7');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(UnknownClauseError);
    expect(refusal).toMatchObject({ clause: 'SND-7', code: 'policy.unknown-clause', packId: 'sindh', version: 1 });
  });
});
