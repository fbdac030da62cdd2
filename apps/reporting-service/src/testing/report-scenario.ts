import { createHash } from 'node:crypto';
import { EventMetadata } from '@conduct/event-store';
import { EventEnvelope } from '@conduct/messaging';
import { chainedEnvelopes, StreamEvent } from './published-events';

/*
 * A headquarters scenario as plain data — cases, approvals, flags and notices across two provinces,
 * several ranges, districts and units, four months — and the envelopes violation-, approval- and
 * notification-service would publish for it. Tests compute the expected report figures from these
 * plain objects (expected-figures.ts), never from the read models.
 */

export interface Place {
  province: string;
  range: string;
  district: string;
  unitId: string;
}

export interface Officer {
  serviceNumber: string;
  name: string;
  rank: string;
}

export interface ScenarioCase {
  caseId: string;
  officer: Officer;
  place: Place;
  clauses: string[];
  reportedAt: string;
  /** When the conduct occurred and became known: by default nine and four days before the report. */
  observedAt?: string;
  becameKnownAt?: string;
  takedown?: { noticeId: string; servedAt: string; dueAt: string; removedAt?: string; missedAt?: string };
  finding?: { outcome: 'substantiated' | 'not-substantiated'; recordedAt: string };
  sanction?: { sanction: string; severity: 'minor' | 'major'; imposedAt: string };
  appeal?: { filedAt: string; decidedAt: string } & ({ outcome: 'upheld' | 'dismissed' } | { outcome: 'sanction-reduced'; reducedTo: string });
  closedAt?: string;
  /** After closedAt: the case is open again. */
  reopenedAt?: string;
}

export interface ScenarioApproval {
  approvalId: string;
  place: Place;
  requesterId: string;
  requestedAt: string;
  decision?: { outcome: 'granted' | 'rejected'; decidedAt: string };
  /** Publication attempts the policy refused, then (maybe) the publication. */
  refusedAt?: string[];
  publishedAt?: string;
}

export interface ScenarioFlag {
  serviceNumber: string;
  place: Place;
  caseIds: string[];
  raisedAt: string;
}

export interface ScenarioNotice {
  notificationId: string;
  caseId: string;
  place: Place;
  queuedAt: string;
  sentAt?: string;
}

export interface ReportScenario {
  /** Province names unique to this run, so other tests' events on the shared topics never count. */
  sindh: string;
  punjab: string;
  /** Time the report clock is set to: after every event, before one notice falls due. */
  now: string;
  cases: ScenarioCase[];
  approvals: ScenarioApproval[];
  flags: ScenarioFlag[];
  notices: ScenarioNotice[];
}

const hours = (iso: string, h: number): string => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

/** When a scenario case's conduct occurred, and when it became known: days before it was reported, so months differ. */
export const observedAtOf = (c: ScenarioCase): string => c.observedAt ?? hours(c.reportedAt, -9 * 24);
export const becameKnownAtOf = (c: ScenarioCase): string => c.becameKnownAt ?? hours(c.reportedAt, -4 * 24);

/** The scenario for one test run; `run` makes every id and province name unique. */
export function reportScenario(run: string): ReportScenario {
  const sindh = `sindh-${run}`;
  const punjab = `punjab-${run}`;
  const clifton: Place = { province: sindh, range: 'karachi', district: 'karachi-south', unitId: 'ps-clifton' };
  const gulshan: Place = { province: sindh, range: 'karachi', district: 'karachi-east', unitId: 'ps-gulshan' };
  const latifabad: Place = { province: sindh, range: 'hyderabad', district: 'hyderabad', unitId: 'ps-latifabad' };
  const modelTown: Place = { province: punjab, range: 'lahore', district: 'lahore-city', unitId: 'ps-model-town' };
  const gulberg: Place = { province: punjab, range: 'lahore', district: 'lahore-cantt', unitId: 'ps-gulberg' };
  const imran: Officer = { serviceNumber: `KHI-${run}-1`, name: 'Imran Ali', rank: 'Constable' };
  const sana: Officer = { serviceNumber: `KHI-${run}-2`, name: 'Sana Baloch', rank: 'ASI' };
  const kamran: Officer = { serviceNumber: `HYD-${run}-3`, name: 'Kamran "Kami" Shah, Jr.', rank: 'SI' };
  const bilal: Officer = { serviceNumber: `LHR-${run}-4`, name: 'Bilal Ahmed', rank: 'Constable' };
  const ayesha: Officer = { serviceNumber: `LHR-${run}-5`, name: 'Ayesha Khan', rank: 'Inspector' };
  const id = (name: string) => `${run}-${name}`;
  const day = (date: string, time = '09:00') => `2026-${date}T${time}:00.000Z`;

  const cases: ScenarioCase[] = [
    {
      caseId: id('s1'),
      officer: imran,
      place: clifton,
      clauses: ['SND-1'],
      reportedAt: day('01-10'),
      takedown: { noticeId: id('n1'), servedAt: day('01-11'), dueAt: hours(day('01-11'), 24), removedAt: day('01-11', '15:00') },
      finding: { outcome: 'substantiated', recordedAt: day('01-20') },
      sanction: { sanction: 'censure', severity: 'minor', imposedAt: day('01-25') },
      closedAt: day('02-01'),
    },
    {
      caseId: id('s2'),
      officer: imran,
      place: clifton,
      clauses: ['SND-1', 'SND-5'],
      reportedAt: day('02-05'),
      takedown: {
        noticeId: id('n2'),
        servedAt: day('02-05', '10:00'),
        dueAt: day('02-06', '10:00'),
        missedAt: day('02-06', '10:00'),
        removedAt: day('02-07', '10:00'),
      },
      finding: { outcome: 'substantiated', recordedAt: day('02-15') },
      sanction: { sanction: 'reduction-in-rank', severity: 'major', imposedAt: day('02-20') },
      appeal: { filedAt: day('02-25'), decidedAt: day('03-10'), outcome: 'sanction-reduced', reducedTo: 'censure' },
      closedAt: day('03-15'),
    },
    {
      caseId: id('s3'),
      officer: sana,
      place: gulshan,
      clauses: ['SND-2'],
      reportedAt: day('02-20'),
      takedown: { noticeId: id('n3'), servedAt: day('02-21'), dueAt: day('02-22'), missedAt: day('02-22') },
    },
    {
      caseId: id('s4'),
      officer: kamran,
      place: latifabad,
      clauses: ['SND-1'],
      reportedAt: day('03-03'),
      finding: { outcome: 'not-substantiated', recordedAt: day('03-20') },
      closedAt: day('03-21'),
    },
    {
      caseId: id('s5'),
      officer: kamran,
      place: latifabad,
      clauses: ['SND-3'],
      reportedAt: day('04-14'),
      // Due after the report clock: pending, neither met nor missed.
      takedown: { noticeId: id('n5'), servedAt: day('04-14', '12:00'), dueAt: day('04-15', '12:00') },
    },
    {
      caseId: id('s6'),
      officer: imran,
      place: clifton,
      clauses: ['SND-1'],
      reportedAt: day('03-28'),
      finding: { outcome: 'substantiated', recordedAt: day('04-05') },
      appeal: { filedAt: day('04-06'), decidedAt: day('04-10'), outcome: 'upheld' },
    },
    {
      caseId: id('p1'),
      officer: bilal,
      place: modelTown,
      clauses: ['SND-1'],
      reportedAt: day('01-15'),
      takedown: { noticeId: id('n7'), servedAt: day('01-15'), dueAt: day('01-16'), removedAt: day('01-15', '21:00') },
      finding: { outcome: 'substantiated', recordedAt: day('01-30') },
      sanction: { sanction: 'censure', severity: 'minor', imposedAt: day('02-03') },
      appeal: { filedAt: day('02-05'), decidedAt: day('02-08'), outcome: 'dismissed' },
      closedAt: day('02-10'),
    },
    {
      caseId: id('p2'),
      officer: bilal,
      place: modelTown,
      clauses: ['SND-2'],
      reportedAt: day('03-01'),
      finding: { outcome: 'not-substantiated', recordedAt: day('03-29') },
      closedAt: day('03-30'),
      reopenedAt: day('04-02'),
    },
    {
      caseId: id('p3'),
      officer: ayesha,
      place: gulberg,
      clauses: ['SND-1', 'SND-2'],
      reportedAt: day('04-01'),
      takedown: { noticeId: id('n9'), servedAt: day('04-01'), dueAt: day('04-02'), removedAt: day('04-01', '12:30') },
      finding: { outcome: 'substantiated', recordedAt: day('04-08') },
      sanction: { sanction: 'forfeiture-of-service', severity: 'major', imposedAt: day('04-12') },
    },
  ];

  const approvals: ScenarioApproval[] = [
    {
      approvalId: id('a1'),
      place: clifton,
      requesterId: imran.serviceNumber,
      requestedAt: day('01-05'),
      decision: { outcome: 'granted', decidedAt: day('01-06') },
      publishedAt: day('01-07'),
    },
    {
      approvalId: id('a2'),
      place: gulshan,
      requesterId: sana.serviceNumber,
      requestedAt: day('02-01'),
      decision: { outcome: 'rejected', decidedAt: day('02-01', '21:00') },
    },
    {
      approvalId: id('a3'),
      place: latifabad,
      requesterId: kamran.serviceNumber,
      requestedAt: day('02-10'),
      decision: { outcome: 'granted', decidedAt: day('02-12') },
      refusedAt: [day('02-13'), day('02-13', '11:00')],
      publishedAt: day('02-14'),
    },
    { approvalId: id('a4'), place: clifton, requesterId: imran.serviceNumber, requestedAt: day('03-01') },
    {
      approvalId: id('a5'),
      place: modelTown,
      requesterId: bilal.serviceNumber,
      requestedAt: day('01-20'),
      decision: { outcome: 'granted', decidedAt: day('01-20', '15:00') },
      refusedAt: [day('01-21')],
    },
    {
      approvalId: id('a6'),
      place: gulberg,
      requesterId: ayesha.serviceNumber,
      requestedAt: day('03-05'),
      decision: { outcome: 'rejected', decidedAt: day('03-06') },
    },
  ];

  const flags: ScenarioFlag[] = [
    { serviceNumber: imran.serviceNumber, place: clifton, caseIds: [id('s1'), id('s2')], raisedAt: day('02-16') },
    { serviceNumber: bilal.serviceNumber, place: modelTown, caseIds: [id('p1')], raisedAt: day('02-01') },
  ];

  const notices: ScenarioNotice[] = [
    { notificationId: id('note-1'), caseId: id('s1'), place: clifton, queuedAt: day('01-11', '09:00'), sentAt: day('01-11', '09:01') },
    { notificationId: id('note-2'), caseId: id('s3'), place: gulshan, queuedAt: day('02-21', '09:00') },
  ];

  return { sindh, punjab, now: '2026-04-15T00:00:00.000Z', cases, approvals, flags, notices };
}

/** The envelopes of the scenario by topic, each stream in order, as the three services' relays publish them. */
export interface ScenarioEnvelopes {
  cases: EventEnvelope<object>[];
  approvals: EventEnvelope<object>[];
  notifications: EventEnvelope<object>[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const POLICY = { packId: 'sindh', version: 2 };
const INVESTIGATOR = { id: 'ia-hq', role: 'IA_INVESTIGATOR' };
const AUTHORITY = { id: 'da-hq', role: 'DISCIPLINARY_AUTHORITY' };

const event = (type: string, data: object, place: Place, actor: EventMetadata['actor'], occurredAt: string): StreamEvent => ({
  type,
  data,
  metadata: {
    actor,
    correlationId: `corr-${String((data as { caseId?: string; approvalId?: string }).caseId ?? type)}`,
    occurredAt,
    jurisdiction: place,
  },
});

function caseEvents(c: ScenarioCase): StreamEvent[] {
  const { caseId, place } = c;
  const on = (type: string, data: object, at: string, actor: EventMetadata['actor'] = INVESTIGATOR) =>
    event(type, { caseId, ...data }, place, actor, at);
  const events: StreamEvent[] = [
    on(
      'ViolationReported',
      {
        officer: { ...c.officer, unitId: place.unitId },
        jurisdiction: place,
        platform: 'tiktok',
        contentUrl: `https://www.tiktok.com/@x/video/${caseId}`,
        conduct: { kinds: ['video'], features: ['uniform'], usedOfficialAccount: false, platformPermitted: true },
        evidence: {
          evidenceId: `ev-${caseId}`,
          sha256: sha256(caseId),
          capturedAt: c.reportedAt,
          capturedBy: INVESTIGATOR.id,
          archiveLocation: `s3://evidence/${caseId}`,
        },
        observedAt: observedAtOf(c),
        becameKnownAt: becameKnownAtOf(c),
        onDuty: true,
        description: 'Video in uniform, posted without pre-approval.',
        policy: { ...POLICY, clauses: c.clauses },
        escalationLevel: 'SSP',
        reportedBy: INVESTIGATOR.id,
        reportedAt: c.reportedAt,
      },
      c.reportedAt,
    ),
    on('InvestigatorAssigned', { investigatorId: INVESTIGATOR.id, assignedBy: AUTHORITY.id, assignedAt: c.reportedAt }, c.reportedAt, AUTHORITY),
  ];
  const t = c.takedown;
  if (t) {
    const notice = { noticeId: t.noticeId };
    events.push(
      on(
        'TakedownNoticeIssued',
        {
          ...notice,
          contentUrl: `https://www.tiktok.com/@x/video/${caseId}`,
          servedOn: c.officer.serviceNumber,
          servedAt: t.servedAt,
          dueAt: t.dueAt,
          issuedBy: INVESTIGATOR.id,
          issuedAt: t.servedAt,
        },
        t.servedAt,
      ),
    );
    if (t.missedAt) {
      events.push(on('TakedownDeadlineMissed', { ...notice, dueAt: t.dueAt, missedAt: t.missedAt }, t.missedAt, { id: 'system', role: 'SYSTEM' }));
      events.push(
        on('CaseEscalated', { ...notice, from: 'SSP', to: 'DIG', reason: 'takedown-deadline-missed', escalatedAt: t.missedAt }, t.missedAt, {
          id: 'system',
          role: 'SYSTEM',
        }),
      );
    }
    if (t.removedAt) {
      const withinDeadline = Date.parse(t.removedAt) <= Date.parse(t.dueAt);
      events.push(
        on(
          'ContentRemovalConfirmed',
          { ...notice, verifiedBy: INVESTIGATOR.id, verifiedAt: t.removedAt, withinDeadline, recordedAt: t.removedAt },
          t.removedAt,
        ),
      );
    }
  }
  const f = c.finding;
  if (f) {
    const substantiated = f.outcome === 'substantiated' ? { clauses: c.clauses, appealableUntil: hours(f.recordedAt, 24 * 30) } : {};
    events.push(
      on(
        'FindingRecorded',
        { outcome: f.outcome, ...substantiated, reasons: ['As the evidence shows.'], recordedBy: INVESTIGATOR.id, recordedAt: f.recordedAt },
        f.recordedAt,
      ),
    );
  }
  const s = c.sanction;
  if (s) {
    events.push(
      on(
        'SanctionImposed',
        {
          sanction: s.sanction,
          severity: s.severity,
          reasons: ['Breach of SND-1.'],
          imposedBy: AUTHORITY.id,
          imposedAt: s.imposedAt,
          appealableUntil: hours(s.imposedAt, 24 * 30),
        },
        s.imposedAt,
        AUTHORITY,
      ),
    );
  }
  const a = c.appeal;
  if (a) {
    const appealId = `${caseId}-appeal`;
    events.push(
      on(
        'AppealFiled',
        {
          appealId,
          against: s ? 'sanction' : 'finding',
          appellant: c.officer.serviceNumber,
          grounds: ['Too harsh.'],
          filedBy: c.officer.serviceNumber,
          filedAt: a.filedAt,
        },
        a.filedAt,
        { id: c.officer.serviceNumber, role: 'OFFICER' },
      ),
    );
    const reduced = a.outcome === 'sanction-reduced' ? { reducedTo: a.reducedTo, severity: 'minor' } : {};
    events.push(
      on(
        'AppealDecided',
        { appealId, outcome: a.outcome, ...reduced, reasons: ['Considered.'], decidedBy: AUTHORITY.id, decidedAt: a.decidedAt },
        a.decidedAt,
        AUTHORITY,
      ),
    );
  }
  if (c.closedAt) events.push(on('CaseClosed', { reasons: ['Done.'], closedBy: AUTHORITY.id, closedAt: c.closedAt }, c.closedAt, AUTHORITY));
  if (c.reopenedAt)
    events.push(on('CaseReopened', { reasons: ['New evidence.'], reopenedBy: AUTHORITY.id, reopenedAt: c.reopenedAt }, c.reopenedAt, AUTHORITY));
  return events;
}

function approvalEvents(a: ScenarioApproval): StreamEvent[] {
  const { approvalId, place } = a;
  const requester = { id: a.requesterId, role: 'OFFICER', unitId: place.unitId };
  const approver = { id: 'ssp-hq', role: 'APPROVER' };
  const policy = { ...POLICY, clauses: ['SND-1'] };
  const mediaSha256 = sha256(approvalId);
  const officialAccountId = `acct-${place.unitId}`;
  const on = (type: string, data: object, at: string, actor: EventMetadata['actor']) => event(type, { approvalId, ...data }, place, actor, at);
  const events = [
    on(
      'ApprovalRequested',
      {
        requester: { id: a.requesterId, unitId: place.unitId },
        jurisdiction: place,
        platform: 'facebook',
        officialAccountId,
        title: `Open day ${approvalId}`,
        description: 'Photos of the open day.',
        mediaSha256,
        features: ['uniform'],
        intendedPublicationAt: hours(a.requestedAt, 24 * 7),
        requestedAt: a.requestedAt,
        policy,
      },
      a.requestedAt,
      requester,
    ),
  ];
  const d = a.decision;
  if (d?.outcome === 'granted') {
    events.push(
      on(
        'ApprovalGranted',
        { decidedBy: approver.id, decidedAt: d.decidedAt, policy, conditions: [], validFrom: d.decidedAt, validUntil: hours(d.decidedAt, 24 * 30) },
        d.decidedAt,
        approver,
      ),
    );
  }
  if (d?.outcome === 'rejected')
    events.push(
      on('ApprovalRejected', { decidedBy: approver.id, decidedAt: d.decidedAt, policy, reasons: ['Shows a weapon.'] }, d.decidedAt, approver),
    );
  const publication = { url: `https://facebook.com/${approvalId}`, officialAccountId, mediaSha256, recordedBy: 'media-hq' };
  for (const refusedAt of a.refusedAt ?? []) {
    events.push(
      on(
        'PublicationRefused',
        { ...publication, publishedAt: refusedAt, refusedAt, clause: 'SND-5', code: 'approval.wrong-account', reason: 'Not the approved account.' },
        refusedAt,
        requester,
      ),
    );
  }
  if (a.publishedAt)
    events.push(on('ContentPublished', { ...publication, publishedAt: a.publishedAt, recordedAt: a.publishedAt }, a.publishedAt, requester));
  return events;
}

function noticeEvents(n: ScenarioNotice): StreamEvent[] {
  const system = { id: 'notification-service', role: 'SYSTEM' };
  const base = { notificationId: n.notificationId, caseId: n.caseId };
  const events = [
    event(
      'NotificationQueued',
      {
        ...base,
        kind: 'takedown-notice',
        channel: 'email',
        recipient: { role: 'OFFICER', id: 'officer', name: 'Officer', address: 'officer@police.example', language: 'en' },
        subject: 'Takedown notice',
        sourceEventId: `source-${n.notificationId}`,
        sourceEventType: 'TakedownNoticeIssued',
        sendAfter: n.queuedAt,
        queuedAt: n.queuedAt,
      },
      n.place,
      system,
      n.queuedAt,
    ),
  ];
  if (n.sentAt)
    events.push(
      event('NotificationSent', { ...base, attempt: 1, messageId: `<${n.notificationId}@conduct>`, sentAt: n.sentAt }, n.place, system, n.sentAt),
    );
  return events;
}

/** Every envelope of the scenario, one chained stream per case, approval, officer flag and notice. */
export function scenarioEnvelopes(scenario: ReportScenario): ScenarioEnvelopes {
  const flagsByOfficer = new Map<string, ScenarioFlag[]>();
  for (const flag of scenario.flags) flagsByOfficer.set(flag.serviceNumber, [...(flagsByOfficer.get(flag.serviceNumber) ?? []), flag]);
  const flagStreams = [...flagsByOfficer].flatMap(([serviceNumber, flags]) =>
    chainedEnvelopes(
      { streamId: serviceNumber, streamType: 'officer' },
      flags.map((flag) =>
        event(
          'EarlyInterventionFlagRaised',
          {
            serviceNumber,
            caseIds: flag.caseIds,
            threshold: { substantiatedFindings: 2, withinDays: 365 },
            policy: POLICY,
            windowStart: hours(flag.raisedAt, -24 * 365),
            raisedAt: flag.raisedAt,
          },
          flag.place,
          { id: 'violation-service', role: 'SYSTEM' },
          flag.raisedAt,
        ),
      ),
    ),
  );
  return {
    cases: [...scenario.cases.flatMap((c) => chainedEnvelopes({ streamId: c.caseId, streamType: 'case' }, caseEvents(c))), ...flagStreams],
    approvals: scenario.approvals.flatMap((a) => chainedEnvelopes({ streamId: a.approvalId, streamType: 'approval' }, approvalEvents(a))),
    notifications: scenario.notices.flatMap((n) => chainedEnvelopes({ streamId: n.notificationId, streamType: 'notification' }, noticeEvents(n))),
  };
}
