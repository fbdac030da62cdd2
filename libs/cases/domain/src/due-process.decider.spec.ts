import { fold } from '@conduct/decider';
import { parsePolicyPack } from '@conduct/policy';
import { ImposeSanction, IssueShowCauseNotice, RecordLapsedShowCauseReply, RecordPersonalHearing, RecordShowCauseReply } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import {
  appealDecided,
  appealFiled,
  authority,
  closed,
  cleared,
  found,
  heard,
  hearingHeld,
  hearingHeldAt,
  investigator,
  pack,
  reopened,
  replyDueAt,
  replyLapsed,
  replyReceived,
  replyReceivedAt,
  sanctioned,
  sanctionedAt,
  showCauseServed,
  showCauseServedAt,
  sindh,
  spec,
  underInvestigation,
} from './testing/case-fixtures';

const serve = (overrides: Partial<IssueShowCauseNotice['data']> = {}): IssueShowCauseNotice => ({
  type: 'IssueShowCauseNotice',
  data: {
    actor: authority,
    showCauseId: 'show-cause-1',
    grounds: ['Posted a video in uniform without approval (SND-1)'],
    proposedSanction: 'dismissal',
    servedAt: showCauseServedAt,
    pack: sindh,
    now: showCauseServedAt,
    ...overrides,
  },
});
const reply = (overrides: Partial<RecordShowCauseReply['data']> = {}): RecordShowCauseReply => ({
  type: 'RecordShowCauseReply',
  data: { actor: authority, reply: 'The video was filmed off duty', receivedAt: replyReceivedAt, now: replyReceivedAt, ...overrides },
});
const lapse = (now = replyDueAt, showCauseId = 'show-cause-1'): RecordLapsedShowCauseReply => ({
  type: 'RecordLapsedShowCauseReply',
  data: { showCauseId, now },
});
const hear = (overrides: Partial<RecordPersonalHearing['data']> = {}): RecordPersonalHearing => ({
  type: 'RecordPersonalHearing',
  data: { actor: authority, heldAt: hearingHeldAt, officerPresent: true, record: 'Heard the officer in person', now: hearingHeldAt, ...overrides },
});
const impose = (sanction: string, now = sanctionedAt): ImposeSanction => ({
  type: 'ImposeSanction',
  data: { actor: authority, sanction, reasons: ['First breach'], pack: sindh, now },
});

describe('case: due process before a major penalty', () => {
  it('serves a show-cause notice on a substantiated finding, with the reply due after the pack’s period', () => {
    spec(found).when(serve()).then([showCauseServed()]);
  });

  it('records the reply, then the hearing, and only then lets a major penalty be imposed', () => {
    spec([...found, showCauseServed()])
      .when(reply())
      .then([replyReceived]);
    spec([...found, showCauseServed(), replyReceived])
      .when(hear())
      .then([hearingHeld()]);
    spec(heard)
      .when(impose('dismissal'))
      .then([sanctioned('dismissal', 'major')]);
  });

  it('refuses a major penalty without the steps, naming the rule and every step still owed', () => {
    const refusal = spec(found).when(impose('dismissal')).thenThrows('case.due-process-incomplete');
    expect(refusal.message).toBe(
      'dismissal is a major penalty: the Police (Efficiency and Discipline) Rules, 1975 require a show-cause notice, ' +
        "the officer's written reply or the lapse of its period, a personal hearing before it is imposed",
    );
    expect(refusal.field).toBe('sanction');
    expect(
      spec([...found, showCauseServed()])
        .when(impose('removal'))
        .thenThrows('case.due-process-incomplete').message,
    ).toContain("require the officer's written reply or the lapse of its period, a personal hearing before");
    expect(
      spec([...found, showCauseServed(), replyReceived])
        .when(impose('removal'))
        .thenThrows('case.due-process-incomplete').message,
    ).toContain('require a personal hearing before');
  });

  it('refuses a major penalty the show-cause notice did not propose: the officer was told of a minor one', () => {
    const heardOnCensure: CaseEvent[] = [...found, showCauseServed('censure'), replyReceived, hearingHeld()];
    expect(spec(heardOnCensure).when(impose('dismissal')).thenThrows('case.penalty-not-proposed').message).toContain('proposed censure (minor)');
    spec(heardOnCensure)
      .when(impose('fine'))
      .then([sanctioned('fine', 'minor')]);
    spec(heard)
      .when(impose('removal'))
      .then([sanctioned('removal', 'major')]);
  });

  it('holds the hearing after the reply, or after the reply period when it lapsed', () => {
    spec([...found, showCauseServed(), replyReceived])
      .when(hear({ heldAt: '2026-03-21T09:00:00.000Z' }))
      .thenThrows('case.time-out-of-order');
    const lapsed = spec([...found, showCauseServed(), replyLapsed])
      .when(hear({ heldAt: '2026-04-03T11:00:00.000Z', now: '2026-04-05T09:00:00.000Z' }))
      .thenThrows('case.time-out-of-order');
    expect(lapsed.message).toContain('the reply period ended');
  });

  it('keeps the direct path for a minor penalty where the pack allows it, and closes it where the pack does not', () => {
    spec(found)
      .when(impose('censure'))
      .then([sanctioned('censure', 'minor')]);
    const strict = parsePolicyPack({ ...sindh, dueProcess: { ...sindh.dueProcess, requiredFor: ['minor', 'major'] } });
    spec(found)
      .when({ ...impose('censure'), data: { ...impose('censure').data, pack: strict } })
      .thenThrows('case.due-process-incomplete');
  });

  it('goes on after the reply period lapses: the watcher records it, then the hearing may be held without the officer', () => {
    spec([...found, showCauseServed()])
      .when(lapse())
      .then([replyLapsed]);
    spec([...found, showCauseServed(), replyLapsed])
      .when(hear({ officerPresent: false, heldAt: '2026-04-05T09:00:00.000Z', now: '2026-04-05T09:00:00.000Z' }))
      .then([hearingHeld(false, '2026-04-05T09:00:00.000Z')]);
    spec([...found, showCauseServed(), replyLapsed, hearingHeld(false, '2026-04-05T09:00:00.000Z')])
      .when(impose('dismissal', '2026-04-06T09:00:00.000Z'))
      .then([
        {
          ...sanctioned('dismissal', 'major'),
          data: { ...sanctioned('dismissal', 'major').data, imposedAt: '2026-04-06T09:00:00.000Z', appealableUntil: '2026-05-06T09:00:00.000Z' },
        },
      ]);
  });

  it('refuses the lapse before the deadline, twice, after a reply, or for another notice', () => {
    spec([...found, showCauseServed()])
      .when(lapse('2026-04-03T11:59:59.000Z'))
      .thenThrows('case.show-cause-reply-not-due');
    spec([...found, showCauseServed(), replyLapsed])
      .when(lapse())
      .thenThrows('case.show-cause-reply-settled');
    spec([...found, showCauseServed(), replyReceived])
      .when(lapse())
      .thenThrows('case.show-cause-reply-settled');
    spec([...found, showCauseServed()])
      .when(lapse(replyDueAt, 'show-cause-0'))
      .thenThrows('case.show-cause-reply-settled');
    spec(found).when(lapse()).thenThrows('case.no-show-cause-notice');
  });

  it('holds no hearing before the reply or its lapse, and only one', () => {
    expect(
      spec([...found, showCauseServed()])
        .when(hear())
        .thenThrows('case.show-cause-reply-awaited').message,
    ).toContain(replyDueAt);
    spec(heard).when(hear()).thenThrows('case.hearing-already-held');
    spec(found).when(hear()).thenThrows('case.no-show-cause-notice');
  });

  it('records a reply received by the deadline even after the lapse was recorded, and refuses one received later', () => {
    spec([...found, showCauseServed(), replyLapsed])
      .when(reply({ receivedAt: '2026-04-03T10:00:00.000Z', now: '2026-04-04T09:00:00.000Z' }))
      .then([{ ...replyReceived, data: { ...replyReceived.data, receivedAt: '2026-04-03T10:00:00.000Z', recordedAt: '2026-04-04T09:00:00.000Z' } }]);
    const late = spec([...found, showCauseServed()])
      .when(reply({ receivedAt: '2026-04-03T12:00:01.000Z', now: '2026-04-04T09:00:00.000Z' }))
      .thenThrows('case.show-cause-reply-late');
    expect(late.field).toBe('receivedAt');
    spec([...found, showCauseServed(), replyReceived])
      .when(reply())
      .thenThrows('case.show-cause-reply-recorded');
  });

  it('refuses times in the future or before the step they follow, blank grounds, replies and records, and unknown penalties', () => {
    expect(
      spec(found)
        .when(serve({ servedAt: '2026-03-20T08:00:00.000Z' }))
        .thenThrows('case.time-out-of-order').message,
    ).toContain('before the finding was recorded');
    spec([...found, showCauseServed(), replyReceived])
      .when(hear({ heldAt: '2026-03-20T11:00:00.000Z' }))
      .thenThrows('case.time-out-of-order');
    spec(found)
      .when(serve({ servedAt: '2026-03-21T00:00:00.000Z' }))
      .thenThrows('case.time-in-future');
    spec([...found, showCauseServed()])
      .when(reply({ receivedAt: '2026-03-20T11:00:00.000Z' }))
      .thenThrows('case.time-out-of-order');
    spec([...found, showCauseServed(), replyReceived])
      .when(hear({ heldAt: '2026-03-24T10:00:00.000Z' }))
      .thenThrows('case.time-in-future');
    expect(
      spec(found)
        .when(serve({ grounds: [' '] }))
        .thenThrows('case.reasons-required').field,
    ).toBe('grounds');
    expect(
      spec([...found, showCauseServed()])
        .when(reply({ reply: '' }))
        .thenThrows('case.reasons-required').field,
    ).toBe('reply');
    expect(
      spec([...found, showCauseServed(), replyReceived])
        .when(hear({ record: ' ' }))
        .thenThrows('case.reasons-required').field,
    ).toBe('record');
    expect(
      spec(found)
        .when(serve({ proposedSanction: 'flogging' }))
        .thenThrows('case.unknown-sanction').field,
    ).toBe('proposedSanction');
  });

  it('serves one notice per finding, only on a substantiated finding that stands and is not sanctioned', () => {
    spec([...found, showCauseServed()])
      .when(serve())
      .thenThrows('case.show-cause-already-served');
    spec(underInvestigation).when(serve()).thenThrows('case.no-substantiated-finding');
    spec([...underInvestigation, cleared()])
      .when(serve())
      .thenThrows('case.no-substantiated-finding');
    spec([...found, appealFiled('finding')])
      .when(serve())
      .thenThrows('case.appeal-pending');
    spec([...found, sanctioned()])
      .when(serve())
      .thenThrows('case.already-sanctioned');
    spec([...found, appealFiled('finding'), appealDecided('upheld')])
      .when(serve())
      .thenThrows('case.no-substantiated-finding');
  });

  it('keeps the steps when an appeal against the finding is dismissed', () => {
    const given: CaseEvent[] = [...heard, appealFiled('finding'), appealDecided('dismissed')];
    spec(given)
      .when(impose('dismissal', '2026-04-16T09:00:00.000Z'))
      .then([
        {
          ...sanctioned('dismissal', 'major'),
          data: { ...sanctioned('dismissal', 'major').data, imposedAt: '2026-04-16T09:00:00.000Z', appealableUntil: '2026-05-16T09:00:00.000Z' },
        },
      ]);
  });

  it('owes a reopened case’s next finding due process of its own', () => {
    const state = fold(caseDecider, [...heard, sanctioned('dismissal', 'major'), closed, reopened]);
    expect(state.status).toBe('open');
    expect(state.status === 'open' ? state.file.dueProcess : 'not open').toBeUndefined();
  });

  it('is held by the disciplinary authority in scope, never by an investigator, and on the case’s pack', () => {
    spec(found)
      .when(serve({ actor: investigator }))
      .thenThrows('case.role-required');
    spec([...found, showCauseServed()])
      .when(reply({ actor: investigator }))
      .thenThrows('case.role-required');
    spec([...found, showCauseServed(), replyReceived])
      .when(hear({ actor: investigator }))
      .thenThrows('case.role-required');
    spec(found)
      .when(serve({ actor: { ...authority, scope: { province: 'sindh', district: 'karachi-east' } } }))
      .thenThrows('case.not-found');
    spec(found)
      .when(serve({ pack: pack('sindh', 1) }))
      .thenThrows('case.policy-pack-mismatch');
  });
});
