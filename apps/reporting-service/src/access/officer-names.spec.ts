import { canSeeOfficerNames, redactOfficerNames } from './officer-names';

const data = {
  caseId: 'c-1',
  officer: { serviceNumber: 'KHI-40172', name: 'Imran Ali', rank: 'Constable' },
  history: [{ officer: { serviceNumber: 'KHI-1', name: 'Someone Else' } }],
  recipient: { role: 'SSP', id: 'ssp-south', name: 'Sana Shah' },
  reporter: { name: 'Not an officer' },
};

it.each([
  [['ADMIN'], true],
  [['IA_INVESTIGATOR'], true],
  [['DISCIPLINARY_AUTHORITY'], true],
  [['HQ_ANALYST'], false],
  [['HQ_ANALYST', 'DISCIPLINARY_AUTHORITY'], true],
  [['INTEGRATION'], false],
  [[], false],
] as const)('roles %j see officer names: %s', (roles, expected) => {
  expect(canSeeOfficerNames({ roles })).toBe(expected);
});

it('nulls every officer.name and recipient.name for a role without access, keeping the other officer fields and other names', () => {
  expect(redactOfficerNames(data, { roles: ['HQ_ANALYST'] })).toEqual({
    caseId: 'c-1',
    officer: { serviceNumber: 'KHI-40172', name: null, rank: 'Constable' },
    history: [{ officer: { serviceNumber: 'KHI-1', name: null } }],
    recipient: { role: 'SSP', id: 'ssp-south', name: null },
    reporter: { name: 'Not an officer' },
  });
  expect(data.officer.name).toBe('Imran Ali');
});

it('leaves names to roles that may see them', () => {
  expect(redactOfficerNames(data, { roles: ['IA_INVESTIGATOR'] })).toBe(data);
});
