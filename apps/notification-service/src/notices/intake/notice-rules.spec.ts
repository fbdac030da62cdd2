import { directoryRoleForRank, levelAbove, notificationIdFor, reminderSchedule } from './notice-rules';

const officer = { role: 'OFFICER' as const, serviceNumber: 'KHI-40172', unitId: 'ps-clifton' };
const chain = ['SSP', 'DIG', 'AIG', 'IGP'];

describe('notice identity', () => {
  it('is a UUID that the same cause, kind, audience and offset always derive', () => {
    const id = notificationIdFor('e1', 'takedown-reminder', officer, 24);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(notificationIdFor('e1', 'takedown-reminder', { ...officer }, 24)).toBe(id);
  });

  it('differs when any part of the cause differs', () => {
    const id = notificationIdFor('e1', 'takedown-reminder', officer, 24);
    const others = [
      notificationIdFor('e2', 'takedown-reminder', officer, 24),
      notificationIdFor('e1', 'takedown-notice', officer, 24),
      notificationIdFor('e1', 'takedown-reminder', { ...officer, serviceNumber: 'KHI-1' }, 24),
      notificationIdFor('e1', 'takedown-reminder', { role: 'SUPERVISOR', unitId: 'ps-clifton' }, 24),
      notificationIdFor('e1', 'takedown-reminder', officer, 48),
      notificationIdFor('e1', 'takedown-reminder', officer),
    ];
    expect(new Set([id, ...others]).size).toBe(others.length + 1);
  });

  it('does not depend on the unit of an officer audience (the directory may move them)', () => {
    expect(notificationIdFor('e1', 'finding-recorded', { ...officer, unitId: 'ps-saddar' })).toBe(
      notificationIdFor('e1', 'finding-recorded', officer),
    );
  });
});

describe('escalation recipients', () => {
  it('maps SSP to the SSP and DIG and everything above it to the DIG', () => {
    expect(directoryRoleForRank('SSP')).toBe('SSP');
    expect(directoryRoleForRank('DIG')).toBe('DIG');
    expect(directoryRoleForRank('AIG')).toBe('DIG');
    expect(directoryRoleForRank('IGP')).toBe('DIG');
    expect(directoryRoleForRank('dig')).toBe('DIG');
  });

  it('sends anything below SSP to the SSP', () => {
    expect(directoryRoleForRank('DSP')).toBe('SSP');
  });

  it('finds the level above the current one, staying at the top', () => {
    expect(levelAbove(chain, 'SSP')).toBe('DIG');
    expect(levelAbove(chain, 'DIG')).toBe('AIG');
    expect(levelAbove(chain, 'IGP')).toBe('IGP');
    expect(levelAbove(chain, 'SHO')).toBe('SSP');
  });
});

describe('reminder schedule', () => {
  const issuedAt = '2026-03-04T09:00:00.000Z';
  const dueAt = '2026-03-11T09:00:00.000Z';

  it('puts each reminder its offset before the due date, latest offset first', () => {
    expect(reminderSchedule(issuedAt, dueAt, [24, 48, 0], new Date(issuedAt))).toEqual([
      { offsetHours: 48, sendAfter: new Date('2026-03-09T09:00:00.000Z') },
      { offsetHours: 24, sendAfter: new Date('2026-03-10T09:00:00.000Z') },
      { offsetHours: 0, sendAfter: new Date(dueAt) },
    ]);
  });

  it('drops offsets already past at issue time but keeps the due-date reminder', () => {
    const shortNotice = reminderSchedule('2026-03-10T12:00:00.000Z', dueAt, [48, 24, 12, 0], new Date('2026-03-10T12:00:00.000Z'));
    expect(shortNotice.map((reminder) => reminder.offsetHours)).toEqual([12, 0]);
  });

  it('counts a repeated offset once', () => {
    expect(reminderSchedule(issuedAt, dueAt, [24, 24], new Date(issuedAt))).toHaveLength(1);
  });

  it('schedules only the reminders still ahead of a notice learnt of late, and none once its due date has passed', () => {
    expect(reminderSchedule(issuedAt, dueAt, [48, 24, 0], new Date('2026-03-10T00:00:00.000Z')).map((reminder) => reminder.offsetHours)).toEqual([
      24, 0,
    ]);
    expect(reminderSchedule(issuedAt, dueAt, [48, 24, 0], new Date(dueAt)).map((reminder) => reminder.offsetHours)).toEqual([0]);
    expect(reminderSchedule(issuedAt, dueAt, [48, 24, 0], new Date('2026-03-11T09:00:00.001Z'))).toEqual([]);
  });
});
