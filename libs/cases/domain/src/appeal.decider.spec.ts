import { fold } from '@conduct/decider';
import { DecideAppeal, FileAppeal, ImposeSanction } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import {
  appealDecided,
  appealDecidedAt,
  appealedAt,
  appealFiled,
  appellateAuthority,
  authority,
  caseId,
  cleared,
  closedCase,
  decided,
  findingAppealableUntil,
  found,
  investigator,
  officer,
  officerConcerned,
  pack,
  reported,
  sanctioned,
  sindh,
  spec,
  underInvestigation,
  withSanction,
} from './testing/case-fixtures';

const file = (overrides: Partial<FileAppeal['data']> = {}): FileAppeal => ({
  type: 'FileAppeal',
  data: { actor: officerConcerned, appealId: 'appeal-1', grounds: ['The video predates the letter'], now: appealedAt, ...overrides },
});
/** The fields every ruling shares, to override one at a time. */
type RulingOverrides = Partial<Omit<DecideAppeal['data'], 'outcome'>>;
const rule = (outcome: 'upheld' | 'dismissed', overrides: RulingOverrides = {}): DecideAppeal => ({
  type: 'DecideAppeal',
  data: { outcome, actor: appellateAuthority, reasons: ['Reviewed the record'], pack: sindh, now: appealDecidedAt, ...overrides },
});
const reduceTo = (reducedTo: string, overrides: RulingOverrides = {}): DecideAppeal => ({
  type: 'DecideAppeal',
  data: {
    outcome: 'sanction-reduced',
    reducedTo,
    actor: appellateAuthority,
    reasons: ['Too harsh for a first breach'],
    pack: sindh,
    now: appealDecidedAt,
    ...overrides,
  },
});
const impose = (overrides: Partial<ImposeSanction['data']> = {}): ImposeSanction => ({
  type: 'ImposeSanction',
  data: { actor: authority, sanction: 'censure', reasons: ['First breach'], pack: sindh, now: '2026-04-16T09:00:00.000Z', ...overrides },
});

describe('case: filing an appeal', () => {
  it('is filed by the officer concerned against the sanction, within the window', () => {
    spec(withSanction)
      .when(file())
      .then([appealFiled('sanction')]);
  });

  it('is filed against a substantiated finding before any sanction', () => {
    spec(found)
      .when(file())
      .then([appealFiled('finding')]);
  });

  it('is recorded for the officer by the disciplinary authority (an appeal lodged on paper)', () => {
    spec(withSanction)
      .when(file({ actor: authority }))
      .then([
        {
          type: 'AppealFiled',
          data: {
            caseId,
            appealId: 'appeal-1',
            against: 'sanction',
            appellant: officer.serviceNumber,
            grounds: ['The video predates the letter'],
            filedBy: authority.id,
            filedAt: appealedAt,
          },
        },
      ]);
  });

  it('accepts the last moment of the window and refuses any later', () => {
    expect(decided(found, file({ now: findingAppealableUntil }))).toHaveLength(1);
    spec(found)
      .when(file({ now: '2026-04-19T09:00:00.001Z' }))
      .thenThrows('case.appeal-window-closed');
  });

  it('restarts the window when a sanction is imposed', () => {
    const afterFindingWindow = '2026-04-20T09:00:00.000Z';
    expect(decided(withSanction, file({ now: afterFindingWindow }))).toMatchObject([{ data: { against: 'sanction' } }]);
    spec(withSanction)
      .when(file({ now: '2026-04-24T09:00:00.001Z' }))
      .thenThrows('case.appeal-window-closed');
  });

  it('refuses an appeal with nothing to appeal', () => {
    spec(underInvestigation).when(file()).thenThrows('case.nothing-to-appeal');
    spec([...underInvestigation, cleared()])
      .when(file())
      .thenThrows('case.nothing-to-appeal');
    spec([...found, appealFiled('finding'), appealDecided('upheld')])
      .when(file())
      .thenThrows('case.nothing-to-appeal');
  });

  it('refuses a second appeal while one is pending, and against the same decision once decided', () => {
    spec([...withSanction, appealFiled()])
      .when(file({ appealId: 'appeal-2' }))
      .thenThrows('case.appeal-pending');
    spec([...withSanction, appealFiled(), appealDecided('dismissed')])
      .when(file({ appealId: 'appeal-2' }))
      .thenThrows('case.already-appealed');
  });

  it('allows one appeal against the finding and one against a sanction imposed after it', () => {
    const given: CaseEvent[] = [...found, appealFiled('finding'), appealDecided('dismissed')];
    spec(given)
      .when(file({ appealId: 'appeal-2' }))
      .thenThrows('case.already-appealed');
    const [sanction] = decided(given, impose());
    expect(sanction).toMatchObject({ type: 'SanctionImposed', data: { appealableUntil: '2026-05-16T09:00:00.000Z' } });
    const again = decided([...given, sanction!], file({ appealId: 'appeal-2', now: '2026-04-20T09:00:00.000Z' }));
    expect(again).toMatchObject([{ type: 'AppealFiled', data: { appealId: 'appeal-2', against: 'sanction' } }]);
  });

  it('refuses an appeal without grounds', () => {
    expect(
      spec(withSanction)
        .when(file({ grounds: [] }))
        .thenThrows('case.reasons-required').field,
    ).toBe('grounds');
  });

  it('refuses anyone else but the officer and the disciplinary authority, and a closed case', () => {
    spec(withSanction)
      .when(file({ actor: investigator }))
      .thenThrows('case.role-required');
    spec(withSanction)
      .when(file({ actor: { ...authority, scope: { province: 'punjab' } } }))
      .thenThrows('case.not-found');
    spec(closedCase).when(file()).thenThrows('case.closed');
    spec([]).when(file()).thenThrows('case.not-found');
  });
});

describe('case: deciding an appeal', () => {
  const underAppeal: CaseEvent[] = [...withSanction, appealFiled()];

  it('is upheld: the finding and the sanction are set aside', () => {
    spec(underAppeal)
      .when(rule('upheld'))
      .then([appealDecided('upheld')]);
  });

  it('is dismissed: the decision stands', () => {
    spec(underAppeal)
      .when(rule('dismissed'))
      .then([appealDecided('dismissed')]);
  });

  it('reduces a major sanction to a minor one, keeping the finding', () => {
    const given: CaseEvent[] = [...found, sanctioned('dismissal', 'major'), appealFiled()];
    spec(given)
      .when(reduceTo('fine'))
      .then([
        {
          type: 'AppealDecided',
          data: {
            caseId,
            appealId: 'appeal-1',
            outcome: 'sanction-reduced',
            reducedTo: 'fine',
            severity: 'minor',
            reasons: ['Too harsh for a first breach'],
            decidedBy: appellateAuthority.id,
            decidedAt: appealDecidedAt,
          },
        },
      ]);
  });

  it('reduces within the same severity', () => {
    const given: CaseEvent[] = [...found, sanctioned('dismissal', 'major'), appealFiled()];
    expect(decided(given, reduceTo('compulsory-retirement'))).toMatchObject([{ data: { reducedTo: 'compulsory-retirement', severity: 'major' } }]);
  });

  it('refuses a “reduction” to the same sanction or from minor to major', () => {
    spec(underAppeal).when(reduceTo('censure')).thenThrows('case.not-a-reduction');
    expect(spec(underAppeal).when(reduceTo('dismissal')).thenThrows('case.not-a-reduction').field).toBe('reducedTo');
  });

  it('refuses a reduction to a sanction the pack does not list', () => {
    spec(underAppeal).when(reduceTo('flogging')).thenThrows('case.unknown-sanction');
  });

  it('refuses reducing when the appeal is against the finding alone', () => {
    spec([...found, appealFiled('finding')])
      .when(reduceTo('censure'))
      .thenThrows('case.no-sanction-to-reduce');
  });

  it('refuses a ruling when no appeal is pending', () => {
    spec(withSanction).when(rule('dismissed')).thenThrows('case.no-pending-appeal');
    spec([...underAppeal, appealDecided('dismissed')])
      .when(rule('upheld'))
      .thenThrows('case.no-pending-appeal');
  });

  it('refuses the authority who imposed the sanction ruling on the appeal against it', () => {
    spec(underAppeal)
      .when(rule('dismissed', { actor: authority }))
      .thenThrows('case.own-decision');
  });

  it('refuses a ruling without reasons, by anyone but a disciplinary authority, or under another pack', () => {
    spec(underAppeal)
      .when(rule('dismissed', { reasons: [] }))
      .thenThrows('case.reasons-required');
    spec(underAppeal)
      .when(rule('dismissed', { actor: investigator }))
      .thenThrows('case.role-required');
    spec(underAppeal)
      .when(rule('dismissed', { actor: officerConcerned }))
      .thenThrows('case.role-required');
    spec(underAppeal)
      .when(rule('dismissed', { pack: pack('sindh', 1) }))
      .thenThrows('case.policy-pack-mismatch');
  });

  it('replaces the sanction in the case’s state, keeping the rest of it', () => {
    const underAppealOfDismissal: CaseEvent[] = [...found, sanctioned('dismissal', 'major'), appealFiled()];
    const state = fold(caseDecider, [...underAppealOfDismissal, ...decided(underAppealOfDismissal, reduceTo('fine'))]);
    expect(state).toMatchObject({
      status: 'open',
      outcome: { stage: 'sanctioned', sanction: { sanction: 'fine', severity: 'minor', imposedBy: authority.id }, appealed: ['sanction'] },
    });
  });

  it('leaves a reduced sanction final: no second appeal', () => {
    const underAppealOfDismissal: CaseEvent[] = [...found, sanctioned('dismissal', 'major'), appealFiled()];
    const given = [...underAppealOfDismissal, ...decided(underAppealOfDismissal, reduceTo('fine'))];
    spec(given)
      .when(file({ appealId: 'appeal-2', now: appealDecidedAt }))
      .thenThrows('case.already-appealed');
  });

  it('is a case that exists', () => {
    spec([reported]).when(rule('dismissed')).thenThrows('case.no-pending-appeal');
    spec([]).when(rule('dismissed')).thenThrows('case.not-found');
  });
});
