import { hiddenClasses, redact, redactFor, Viewer } from './redaction';
import { Role } from './role';

// What a reader may meet: a case file, its trail and a notice of the audit log, with one field of
// every class. The table below is written out by hand, not derived from REDACTION_POLICY.
const sample = {
  file: {
    report: {
      officer: { serviceNumber: 'KHI-40172', name: 'Imran Ali', rank: 'Constable' },
      evidence: { sha256: 'ab', archiveLocation: 's3://conduct-evidence/ev-1', capturedBy: 'ia-rashid' },
      reportedBy: 'ia-rashid',
    },
    investigatorId: 'ia-rashid',
  },
  events: [
    {
      type: 'InvestigatorAssigned',
      actor: { id: 'ia-rashid', role: 'IA_INVESTIGATOR' },
      data: { investigatorId: 'ia-sana', replaces: 'ia-rashid', assignedBy: 'ia-rashid' },
    },
    {
      type: 'NoteAdded',
      actor: { id: 'ia-rashid', role: 'IA_INVESTIGATOR' },
      data: { noteId: 'n-1', text: 'Spoke to the SHO', addedBy: 'ia-rashid' },
    },
    { type: 'SanctionImposed', actor: { id: 'da-south', role: 'DISCIPLINARY_AUTHORITY' }, data: { sanction: 'censure', imposedBy: 'da-south' } },
  ],
  notice: {
    recipient: { role: 'OFFICER', id: 'KHI-40172', name: 'Imran Ali', address: 'imran.ali@sindhpolice.local' },
    subject: 'Takedown deadline missed: Imran Ali (KHI-40172)',
  },
  directoryEntry: { unitId: 'ps-clifton', email: 'sho.clifton@sindhpolice.local' },
};

const NAMES = ['file.report.officer.name', 'notice.recipient.name', 'notice.subject'];
const CONTACT = ['directoryEntry.email', 'notice.recipient.address'];
const INTERNAL = [
  'events[].actor.id', // the investigator's, not the authority's
  'events[].data.addedBy',
  'events[].data.assignedBy',
  'events[].data.investigatorId',
  'events[].data.replaces',
  'events[].data.text',
  'file.investigatorId',
  'file.report.evidence.archiveLocation',
  'file.report.evidence.capturedBy',
  'file.report.reportedBy',
];

describe('the redaction policy, viewer by viewer', () => {
  it.each<[string, Viewer[], string[]]>([
    ['ADMIN', ['ADMIN'], []],
    ['IA_INVESTIGATOR', ['IA_INVESTIGATOR'], []],
    ['DISCIPLINARY_AUTHORITY', ['DISCIPLINARY_AUTHORITY'], []],
    ['APPROVER', ['APPROVER'], []],
    ['HQ_ANALYST', ['HQ_ANALYST'], [...NAMES, ...CONTACT]],
    ['INTEGRATION', ['INTEGRATION'], [...NAMES, ...CONTACT]],
    ['MEDIA_TEAM', ['MEDIA_TEAM'], [...NAMES, ...CONTACT]],
    ['OFFICER (not their case)', ['OFFICER'], [...NAMES, ...CONTACT, ...INTERNAL]],
    ['the officer concerned', ['OFFICER_CONCERNED'], INTERNAL],
    ['HQ_ANALYST who is also a DISCIPLINARY_AUTHORITY', ['HQ_ANALYST', 'DISCIPLINARY_AUTHORITY'], []],
    ['HQ_ANALYST and INTEGRATION', ['HQ_ANALYST', 'INTEGRATION'], [...NAMES, ...CONTACT]],
    ['no role at all', [], [...NAMES, ...CONTACT, ...INTERNAL]],
  ])('%s: leaves out exactly the listed fields, nulled, and names them', (_who, viewers, expected) => {
    const { value, redacted } = redact(sample, hiddenClasses(viewers));
    expect(redacted).toEqual([...expected].sort());
    // events[].actor.id is the investigator's only: the keeps-test below checks the authority's stays.
    for (const path of expected.filter((field) => field !== 'events[].actor.id'))
      expect(valuesAt(value, path).every((found) => found === null)).toBe(true);
  });

  it('keeps what identifies a record without naming a person: service number, rank, the authority who decided', () => {
    const { value } = redact(sample, hiddenClasses(['HQ_ANALYST']));
    expect(value.file.report.officer).toEqual({ serviceNumber: 'KHI-40172', name: null, rank: 'Constable' });
    const officerView = redact(sample, hiddenClasses(['OFFICER_CONCERNED'])).value;
    expect(officerView.events[2]).toEqual(sample.events[2]);
    expect(officerView.events[0]!.actor).toEqual({ id: null, role: 'IA_INVESTIGATOR' });
    expect(officerView.events[1]!.data).toEqual({ noteId: 'n-1', text: null, addedBy: null });
  });

  it('returns the value itself when nothing is hidden, and never changes the input', () => {
    expect(redact(sample, hiddenClasses(['ADMIN'])).value).toBe(sample);
    redact(sample, hiddenClasses(['HQ_ANALYST']));
    expect(sample.file.report.officer.name).toBe('Imran Ali');
  });

  it('reads the officer concerned as such on their own case, whatever else their token says', () => {
    expect(redactFor(sample, { roles: [Role.OFFICER, Role.IA_INVESTIGATOR] }, { ownCase: true }).redacted).toEqual([...INTERNAL].sort());
    expect(redactFor(sample, { roles: [Role.IA_INVESTIGATOR] }).redacted).toEqual([]);
  });
});

/** Every value at a path such as `events[].data.text`. */
function valuesAt(root: unknown, path: string): unknown[] {
  return path
    .split('.')
    .reduce<unknown[]>(
      (nodes, step) => {
        const [key, many] = step.endsWith('[]') ? [step.slice(0, -2), true] : [step, false];
        const next = nodes.map((node) => (node as Record<string, unknown>)[key]);
        return many ? next.flatMap((items) => items as unknown[]) : next;
      },
      [root],
    )
    .filter((found) => found !== undefined);
}
