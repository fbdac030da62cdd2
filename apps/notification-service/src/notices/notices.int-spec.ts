import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Producer } from 'kafkajs';
import request from 'supertest';
import { recordTopics, TopicRecorder } from '@conduct/messaging/testing';
import { EventEnvelope, Topics } from '@conduct/messaging';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { EventStore } from '@conduct/event-store';
import { PersonalDataKeys } from '@conduct/personal-data';
import { CLOCK, Clock, MessagingLifecycle } from '@conduct/event-sourcing';
import { startTestService, TestService, SERVICE_START_TIMEOUT_MS } from '@conduct/service-testing';
import { eventually, metricSum, SmtpCatcher, testKafka } from '@conduct/testing';
import { AppModule, SERVICE_NAME } from '../app.module';
import {
  approvalEvent,
  approvalRequested,
  caseEvent,
  CaseFixture,
  envelope,
  newCase,
  publish,
  showCauseNoticeIssued,
  takedownNoticeIssued,
  violationReported,
} from '../testing/notice-fixtures';
import { NotificationServiceConfig } from '../notification-service.config';
import { MailSender } from './dispatch/mail-sender';
import { NoticeDispatcher } from './dispatch/notice-dispatcher';
import { NotificationLogEntry } from './audit/notifications-log.dto';
import { Recipient, RecipientEdit } from './directory/recipient.dto';
import { RecipientDirectory } from './directory/recipient-directory';

const RETRY_BASE_MS = 60_000;

/** A unit of this test file alone, with every role in the directory; officers' own addresses for some. */
const unit = `ps-it-${randomBytes(4).toString('hex')}`;
const mailOf = (name: string) => `${name}.${unit}@police.test`;
const directory = {
  unitOfficers: { unitId: unit, role: 'OFFICER', name: 'Station officers', email: mailOf('officers'), language: 'ur' },
  supervisor: { unitId: unit, role: 'SUPERVISOR', name: 'SHO', email: mailOf('sho'), language: 'en' },
  ssp: { unitId: unit, role: 'SSP', name: 'SSP South', email: mailOf('ssp'), language: 'en' },
  dig: { unitId: unit, role: 'DIG', name: 'DIG South', email: mailOf('dig'), language: 'ur' },
  media: { unitId: unit, role: 'MEDIA_TEAM', name: 'Media cell', email: mailOf('media'), language: 'en' },
};
/** An officer with their own entry (English); officers without one get the unit's (Urdu). */
const knownOfficer = `KHI-${randomBytes(3).toString('hex')}`;
const knownOfficerEntry = {
  unitId: unit,
  role: 'OFFICER',
  serviceNumber: knownOfficer,
  name: 'Constable Imran Ali',
  email: mailOf('imran'),
  language: 'en',
};

/** Notices, reminders, retries and their audit log, against real PostgreSQL, Kafka and an SMTP listener. */
describe('notices (real PostgreSQL, Kafka and SMTP)', () => {
  let service: TestService;
  let catcher: SmtpCatcher;
  let producer: Producer;
  let recorder: TopicRecorder;
  let admin: string;

  const clock = (): Clock => service.app.get<Clock>(CLOCK);
  const setTime = (at: Date | string) => jest.spyOn(clock(), 'now').mockReturnValue(new Date(at));
  const dispatch = () => service.app.get(NoticeDispatcher).runOnce();
  const api = () => request(service.app.getHttpServer());
  /** The log rows with officers' own addresses opened (they are stored sealed), in order of sending, kind and address. */
  const log = async (where: string, values: unknown[]) => {
    const { rows } = await service.db.query<{
      notification_id: string;
      kind: string;
      status: string;
      recipient_address: string | null;
      send_after: Date;
      reason: string | null;
    }>(`SELECT notification_id, kind, status, recipient_address, send_after, reason FROM notifications_log WHERE ${where}`, values);
    const opened = await service.app.get(PersonalDataKeys).open(rows.map((row) => ({ ...row })));
    // As ORDER BY would: a row without an address (unresolved) after those with one.
    const order = (row: (typeof rows)[number]) => [row.send_after.toISOString(), row.kind, row.recipient_address ?? '\uffff'].join('|');
    return opened.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  };
  const caseLog = (caseId: string) => log('case_id = $1', [caseId]);
  const waitForLog = (caseId: string, count: number) =>
    eventually(async () => ((await caseLog(caseId)).length >= count ? caseLog(caseId) : undefined), { what: `${count} notices of case ${caseId}` });
  const eventsOf = async (notificationId: string) =>
    (
      await service.db.query<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>(
        `SELECT type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [notificationId],
      )
    ).rows;
  const reportedCase = async (fixture: CaseFixture, ...more: EventEnvelope[]) => publish(producer, Topics.cases, violationReported(fixture), ...more);

  beforeAll(async () => {
    catcher = await SmtpCatcher.start();
    const seed = join(tmpdir(), `recipients-${unit}.json`);
    writeFileSync(seed, JSON.stringify([...Object.values(directory), knownOfficerEntry]));
    Object.assign(process.env, {
      SMTP_URL: catcher.url,
      MAIL_FROM: 'Conduct <conduct@police.test>',
      SMTP_POOL_SIZE: '2',
      DISPATCH_INTERVAL_MS: '0',
      NOTICE_MAX_ATTEMPTS: '3',
      NOTICE_RETRY_BASE_MS: String(RETRY_BASE_MS),
      REMINDER_OFFSETS_HOURS: '48,24,0',
      RECIPIENTS_SEED_FILE: seed,
    });
    service = await startTestService(AppModule, SERVICE_NAME);
    admin = service.token({ subject: 'admin', roles: ['ADMIN'] });
    producer = testKafka().producer();
    await producer.connect();
    recorder = await recordTopics(testKafka(), [Topics.notifications]);
    // The consumers start from the beginning of the shared topics: let them work through what other
    // tests published before this file's events are waited on with short deadlines.
    const sentinelCase = newCase(`ps-sentinel-${randomBytes(3).toString('hex')}`);
    const sentinelApproval = randomUUID();
    await reportedCase(sentinelCase);
    await publish(producer, Topics.approvals, approvalRequested(sentinelApproval, 'KHI-0', 'ps-sentinel', 'Sentinel'));
    await eventually(
      async () =>
        ((await service.db.query(`SELECT 1 FROM notice_cases WHERE case_id = $1`, [sentinelCase.caseId])).rowCount ?? 0) > 0 &&
        ((await service.db.query(`SELECT 1 FROM notice_approvals WHERE approval_id = $1`, [sentinelApproval])).rowCount ?? 0) > 0,
      { timeoutMs: 240_000, intervalMs: 200, what: 'the notice consumers to catch up with the topics' },
    );
  }, SERVICE_START_TIMEOUT_MS);
  afterEach(() => {
    jest.restoreAllMocks();
    catcher.accept();
    catcher.release();
  });
  afterAll(async () => {
    await recorder?.stop();
    await producer?.disconnect();
    await service?.close();
    await catcher?.close();
  });

  describe('takedown notices and reminders', () => {
    const issuedAt = '2026-03-04T09:00:00.000Z';
    const dueAt = '2026-03-11T09:00:00.000Z';

    it('serves the notice on the officer and the supervisor with the due date and the clause, reminds at 48 h, 24 h and the due date, across a restart', async () => {
      setTime(issuedAt);
      const fixture = newCase(unit, knownOfficer);
      const notice = takedownNoticeIssued(fixture, issuedAt, dueAt);
      await reportedCase(fixture, notice);
      const queued = await waitForLog(fixture.caseId, 5);
      expect(queued.map((row) => [row.kind, row.recipient_address, row.send_after.toISOString()])).toEqual([
        ['takedown-notice', mailOf('imran'), issuedAt],
        ['takedown-notice', mailOf('sho'), issuedAt],
        ['takedown-reminder', mailOf('imran'), '2026-03-09T09:00:00.000Z'],
        ['takedown-reminder', mailOf('imran'), '2026-03-10T09:00:00.000Z'],
        ['takedown-reminder', mailOf('imran'), dueAt],
      ]);

      expect(await dispatch()).toBe(2);
      const served = await catcher.waitFor(mailOf('imran'));
      expect(served.subject).toBe('Takedown notice: remove the content by 2026-03-11 14:00 PKT');
      expect(served.text).toContain('Dear Constable Imran Ali,');
      expect(served.text).toContain('SND-1 — ');
      expect(served.text).toMatch(/SND-1 — [^:]+: \S+/); // the clause's text from the sindh pack
      expect(served.html).toContain('<li>SND-1 — ');
      expect(served.from).toBe('conduct@police.test');
      expect(served.messageId).toBe(`<${queued[0]!.notification_id}@notifications.conduct>`);
      const supervisorCopy = await catcher.waitFor(mailOf('sho'));
      expect(supervisorCopy.text).toContain('Dear SHO,');
      expect(catcher.to(mailOf('imran'))).toHaveLength(1);

      setTime('2026-03-09T09:00:00.000Z');
      expect(await dispatch()).toBe(1);
      expect(catcher.to(mailOf('imran')).map((mail) => mail.subject)).toEqual([served.subject, 'Reminder: 48 h left to remove the content']);

      // A restarted service finds the rest of the reminders in PostgreSQL.
      await service.restart();
      setTime('2026-03-10T10:00:00.000Z');
      expect(await dispatch()).toBe(1);
      setTime(dueAt);
      expect(await dispatch()).toBe(1);
      expect(
        catcher
          .to(mailOf('imran'))
          .map((mail) => mail.subject)
          .slice(2),
      ).toEqual(['Reminder: 24 h left to remove the content', 'Takedown deadline reached: remove the content now']);
      expect(await dispatch()).toBe(0);
      expect((await caseLog(fixture.caseId)).map((row) => row.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    });

    it('cancels the pending reminders once removal is confirmed, and across a restart sends none of them', async () => {
      setTime(issuedAt);
      const fixture = newCase(unit, knownOfficer);
      const notice = takedownNoticeIssued(fixture, issuedAt, dueAt);
      await reportedCase(fixture, notice);
      await waitForLog(fixture.caseId, 5);
      await dispatch();
      setTime('2026-03-09T10:00:00.000Z');
      await dispatch(); // the 48 h reminder goes

      await publish(
        producer,
        Topics.cases,
        caseEvent(fixture, 'ContentRemovalConfirmed', {
          noticeId: (notice.data as { noticeId: string }).noticeId,
          verifiedBy: 'ia-rashid',
          verifiedAt: '2026-03-09T12:00:00.000Z',
          withinDeadline: true,
          recordedAt: '2026-03-09T12:00:00.000Z',
        }),
      );
      const cancelled = await eventually(
        async () => {
          const rows = (await caseLog(fixture.caseId)).filter((row) => row.status === 'cancelled');
          return rows.length === 2 ? rows : undefined;
        },
        { what: 'the two remaining reminders cancelled' },
      );
      expect(cancelled.map((row) => [row.kind, row.reason])).toEqual([
        ['takedown-reminder', 'content-removed'],
        ['takedown-reminder', 'content-removed'],
      ]);
      expect((await eventsOf(cancelled[0]!.notification_id)).map((event) => event.type)).toEqual(['NotificationQueued', 'NotificationCancelled']);
      expect((await eventsOf(cancelled[0]!.notification_id))[1]!.data).toMatchObject({ caseId: fixture.caseId, reason: 'content-removed' });

      await service.restart();
      setTime('2026-03-12T00:00:00.000Z');
      await dispatch();
      const toOfficer = catcher.to(mailOf('imran')).filter((mail) => mail.text.includes(fixture.caseId));
      expect(toOfficer.map((mail) => mail.subject)).toEqual([
        'Takedown notice: remove the content by 2026-03-11 14:00 PKT',
        'Reminder: 48 h left to remove the content',
      ]);
    });

    it('lets a reminder being sent finish and cancels only the others when removal is confirmed meanwhile', async () => {
      setTime(issuedAt);
      const fixture = newCase(unit, knownOfficer);
      const notice = takedownNoticeIssued(fixture, issuedAt, dueAt);
      await reportedCase(fixture, notice);
      const queued = await waitForLog(fixture.caseId, 5);
      await dispatch();
      setTime('2026-03-09T10:00:00.000Z');
      catcher.hold();
      const sending = dispatch();
      const inFlight = queued[2]!.notification_id; // the 48 h reminder
      await eventually(() => catcher.mails.some((mail) => mail.messageId === `<${inFlight}@notifications.conduct>`), {
        what: 'the 48 h reminder on the wire',
      });

      await publish(
        producer,
        Topics.cases,
        caseEvent(fixture, 'ContentRemovalConfirmed', {
          noticeId: (notice.data as { noticeId: string }).noticeId,
          verifiedBy: 'ia-rashid',
          verifiedAt: '2026-03-09T10:00:00.000Z',
          withinDeadline: true,
          recordedAt: '2026-03-09T10:00:00.000Z',
        }),
      );
      // The reminder on the wire is leased: the cancellation leaves its reason for the dispatcher.
      await eventually(
        async () => {
          const { rows } = await service.db.query<{ cancel_reason: string | null }>(
            `SELECT cancel_reason FROM pending_notices WHERE notification_id = $1`,
            [inFlight],
          );
          return rows[0]?.cancel_reason === 'content-removed';
        },
        { what: 'the cancellation marked on the reminder in flight' },
      );
      catcher.release();
      expect(await sending).toBe(1);

      const settled = await eventually(
        async () => {
          const rows = await caseLog(fixture.caseId);
          return rows.filter((row) => row.status === 'cancelled').length === 2 ? rows : undefined;
        },
        { what: 'the other reminders cancelled' },
      );
      expect(settled.find((row) => row.notification_id === inFlight)!.status).toBe('sent');
      expect((await eventsOf(inFlight)).map((event) => event.type)).toEqual(['NotificationQueued', 'NotificationSent']);
      expect(catcher.mails.filter((mail) => mail.messageId === `<${inFlight}@notifications.conduct>`)).toHaveLength(1);
    });

    it('tells the level above of a missed deadline and the new level of the escalation', async () => {
      setTime('2026-03-11T09:05:00.000Z');
      const fixture = newCase(unit);
      const { noticeId } = takedownNoticeIssued(fixture, issuedAt, dueAt).data as { noticeId: string };
      await reportedCase(
        fixture,
        caseEvent(fixture, 'TakedownDeadlineMissed', { noticeId, dueAt, missedAt: '2026-03-11T09:01:00.000Z' }),
        caseEvent(fixture, 'CaseEscalated', {
          from: 'SSP',
          to: 'DIG',
          reason: 'takedown-deadline-missed',
          noticeId,
          escalatedAt: '2026-03-11T09:01:00.000Z',
        }),
        caseEvent(fixture, 'CaseEscalated', {
          from: 'DIG',
          to: 'AIG',
          reason: 'takedown-deadline-missed',
          noticeId,
          escalatedAt: '2026-03-20T09:01:00.000Z',
        }),
      );
      expect((await waitForLog(fixture.caseId, 3)).map((row) => [row.kind, row.recipient_address])).toEqual([
        ['case-escalated', mailOf('dig')],
        ['case-escalated', mailOf('dig')],
        ['takedown-deadline-missed', mailOf('dig')],
      ]);
      await dispatch();
      const toDig = catcher.to(mailOf('dig')).filter((mail) => mail.text.includes(fixture.caseId));
      expect(toDig).toHaveLength(3);
      // The DIG reads Urdu.
      expect(toDig.map((mail) => mail.subject).sort()).toEqual(
        [
          `کیس AIG کو منتقل: Imran Ali (${fixture.serviceNumber})`,
          `کیس DIG کو منتقل: Imran Ali (${fixture.serviceNumber})`,
          `ہٹانے کی مدت ختم: Imran Ali (${fixture.serviceNumber})`,
        ].sort(),
      );
      expect(toDig.every((mail) => mail.html.includes('dir="rtl"'))).toBe(true);
    });
  });

  describe('show-cause notices and reminders (due process before a major penalty)', () => {
    const servedAt = '2026-03-05T09:00:00.000Z';
    const replyDueAt = '2026-03-19T09:00:00.000Z';
    const showCauseIdOf = (event: EventEnvelope) => (event.data as { showCauseId: string }).showCauseId;
    const mailsOfCase = (address: string, caseId: string) => catcher.to(address).filter((mail) => mail.text.includes(caseId));
    const cancelledOf = (caseId: string, count: number) =>
      eventually(
        async () => {
          const rows = (await caseLog(caseId)).filter((row) => row.status === 'cancelled');
          return rows.length >= count ? rows : undefined;
        },
        { what: `${count} notices of case ${caseId} cancelled` },
      );

    it('serves the notice on the officer with the rule, the grounds, the penalty proposed and the deadline, and reminds before it; the reply cancels those reminders and leaves the takedown reminders of the case alone', async () => {
      setTime(servedAt);
      const fixture = newCase(unit, knownOfficer);
      const takedownDueAt = '2026-03-12T09:00:00.000Z';
      const showCause = showCauseNoticeIssued(fixture, servedAt, replyDueAt);
      await reportedCase(fixture, takedownNoticeIssued(fixture, servedAt, takedownDueAt), showCause);
      const queued = await waitForLog(fixture.caseId, 9);
      expect(queued.map((row) => [row.kind, row.recipient_address, row.send_after.toISOString()])).toEqual([
        ['show-cause-notice', mailOf('imran'), servedAt],
        ['takedown-notice', mailOf('imran'), servedAt],
        ['takedown-notice', mailOf('sho'), servedAt],
        ['takedown-reminder', mailOf('imran'), '2026-03-10T09:00:00.000Z'],
        ['takedown-reminder', mailOf('imran'), '2026-03-11T09:00:00.000Z'],
        ['takedown-reminder', mailOf('imran'), takedownDueAt],
        ['show-cause-reminder', mailOf('imran'), '2026-03-17T09:00:00.000Z'],
        ['show-cause-reminder', mailOf('imran'), '2026-03-18T09:00:00.000Z'],
        ['show-cause-reminder', mailOf('imran'), replyDueAt],
      ]);

      await dispatch();
      const served = await catcher.waitFor(mailOf('imran'), (mail) => mail.subject.startsWith('Show-cause') && mail.text.includes(fixture.caseId));
      expect(served.subject).toBe('Show-cause notice: reply in writing by 2026-03-19 14:00 PKT');
      expect(served.text).toContain('Dear Constable Imran Ali,');
      expect(served.text).toContain(
        `A show-cause notice (${showCauseIdOf(showCause)}) has been served on you in case ${fixture.caseId} under the Police (Efficiency and Discipline) Rules, 1975.`,
      );
      expect(served.text).toContain('The penalty proposed is dismissal (a major penalty).');
      expect(served.text).toContain('Send your written reply by 2026-03-19 14:00 PKT');
      expect(served.text).toContain('  - Filmed a video in uniform without approval\n  - Did not remove it when served a takedown notice');
      expect(served.html).toContain('<li>Did not remove it when served a takedown notice</li>');
      expect(catcher.to(mailOf('sho')).filter((mail) => mail.subject.startsWith('Show-cause'))).toEqual([]);

      setTime('2026-03-06T10:00:00.000Z');
      await publish(
        producer,
        Topics.cases,
        caseEvent(fixture, 'ShowCauseReplyReceived', {
          showCauseId: showCauseIdOf(showCause),
          reply: 'The video was filmed off duty; I removed it the same day.',
          receivedAt: '2026-03-06T09:00:00.000Z',
          recordedBy: 'da-south',
          recordedAt: '2026-03-06T10:00:00.000Z',
        }),
      );
      const cancelled = await cancelledOf(fixture.caseId, 3);
      expect(cancelled.map((row) => [row.kind, row.send_after.toISOString(), row.reason])).toEqual([
        ['show-cause-reminder', '2026-03-17T09:00:00.000Z', 'show-cause-replied'],
        ['show-cause-reminder', '2026-03-18T09:00:00.000Z', 'show-cause-replied'],
        ['show-cause-reminder', replyDueAt, 'show-cause-replied'],
      ]);
      expect((await eventsOf(cancelled[0]!.notification_id)).map((event) => [event.type, event.data['reason'] ?? null])).toEqual([
        ['NotificationQueued', null],
        ['NotificationCancelled', 'show-cause-replied'],
      ]);
      expect((await caseLog(fixture.caseId)).filter((row) => row.kind === 'takedown-reminder').map((row) => row.status)).toEqual([
        'queued',
        'queued',
        'queued',
      ]);

      // Past both deadlines: the takedown reminders go out, no show-cause reminder does.
      setTime('2026-03-20T09:00:00.000Z');
      await dispatch();
      expect(
        mailsOfCase(mailOf('imran'), fixture.caseId)
          .map((mail) => mail.subject)
          .sort(),
      ).toEqual(
        [
          'Reminder: 24 h left to remove the content',
          'Reminder: 48 h left to remove the content',
          'Show-cause notice: reply in writing by 2026-03-19 14:00 PKT',
          'Takedown deadline reached: remove the content now',
          'Takedown notice: remove the content by 2026-03-12 14:00 PKT',
        ].sort(),
      );
    });

    it('reminds the officer with the hours left; the lapse of the reply period cancels the reminders not yet sent and tells the SSP of the case that the personal hearing may follow', async () => {
      setTime(servedAt);
      const fixture = newCase(unit, knownOfficer);
      const showCause = showCauseNoticeIssued(fixture, servedAt, replyDueAt);
      await reportedCase(fixture, showCause);
      await waitForLog(fixture.caseId, 4);
      await dispatch();
      setTime('2026-03-17T09:30:00.000Z');
      await dispatch();
      const reminder = await catcher.waitFor(mailOf('imran'), (mail) => mail.subject.startsWith('Reminder') && mail.text.includes(fixture.caseId));
      expect(reminder.subject).toBe('Reminder: 48 h left to reply to the show-cause notice');
      expect(reminder.text).toContain(
        `Show-cause notice ${showCauseIdOf(showCause)} in case ${fixture.caseId} (Police (Efficiency and Discipline) Rules, 1975): your written reply must be received by 2026-03-19 14:00 PKT.`,
      );

      // The watcher records the lapse before the dispatcher has sent the 24 h and due-date reminders.
      setTime('2026-03-19T09:05:00.000Z');
      await publish(
        producer,
        Topics.cases,
        caseEvent(fixture, 'ShowCauseReplyLapsed', { showCauseId: showCauseIdOf(showCause), replyDueAt, lapsedAt: '2026-03-19T09:01:00.000Z' }),
      );
      await cancelledOf(fixture.caseId, 2);
      const settled = await waitForLog(fixture.caseId, 5);
      expect(settled.map((row) => [row.kind, row.status, row.recipient_address, row.reason])).toEqual([
        ['show-cause-notice', 'sent', mailOf('imran'), null],
        ['show-cause-reminder', 'sent', mailOf('imran'), null],
        ['show-cause-reminder', 'cancelled', mailOf('imran'), 'show-cause-lapsed'],
        ['show-cause-reminder', 'cancelled', mailOf('imran'), 'show-cause-lapsed'],
        ['show-cause-reply-lapsed', 'queued', mailOf('ssp'), null],
      ]);

      await dispatch();
      const toSsp = await catcher.waitFor(mailOf('ssp'), (mail) => mail.text.includes(fixture.caseId));
      expect(toSsp.subject).toBe(`Show-cause reply period lapsed: Imran Ali (${knownOfficer})`);
      expect(toSsp.text).toContain('Dear SSP South,');
      expect(toSsp.text).toContain(
        `Imran Ali (${knownOfficer}) did not reply to show-cause notice ${showCauseIdOf(showCause)} in case ${fixture.caseId} by 2026-03-19 14:00 PKT.`,
      );
      expect(toSsp.text).toContain(
        'Under the Police (Efficiency and Discipline) Rules, 1975 the proceedings go on without the reply: the personal hearing may now be held.',
      );
      expect(mailsOfCase(mailOf('imran'), fixture.caseId).map((mail) => mail.subject)).toEqual([
        'Show-cause notice: reply in writing by 2026-03-19 14:00 PKT',
        'Reminder: 48 h left to reply to the show-cause notice',
      ]);
    });

    it("is not cancelled by the takedown's removal, and is by the case's closing; the personal hearing notifies nobody", async () => {
      setTime(servedAt);
      const fixture = newCase(unit, knownOfficer);
      const takedown = takedownNoticeIssued(fixture, servedAt, '2026-03-12T09:00:00.000Z');
      const showCause = showCauseNoticeIssued(fixture, servedAt, replyDueAt);
      await reportedCase(fixture, takedown, showCause);
      await waitForLog(fixture.caseId, 9);
      await dispatch(); // the notices themselves go now
      const removal = caseEvent(fixture, 'ContentRemovalConfirmed', {
        noticeId: (takedown.data as { noticeId: string }).noticeId,
        verifiedBy: 'ia-rashid',
        verifiedAt: '2026-03-06T09:00:00.000Z',
        withinDeadline: true,
        recordedAt: '2026-03-06T09:00:00.000Z',
      });
      await publish(producer, Topics.cases, removal);
      expect((await cancelledOf(fixture.caseId, 3)).map((row) => [row.kind, row.reason])).toEqual(
        Array(3).fill(['takedown-reminder', 'content-removed']),
      );

      const hearing = caseEvent(fixture, 'PersonalHearingHeld', {
        showCauseId: showCauseIdOf(showCause),
        heldAt: '2026-03-07T09:00:00.000Z',
        officerPresent: true,
        record: 'The officer was heard.',
        heldBy: 'da-south',
        recordedAt: '2026-03-07T09:00:00.000Z',
      });
      const closed = caseEvent(fixture, 'CaseClosed', { reasons: ['Decided.'], closedBy: 'da-south', closedAt: '2026-03-08T09:00:00.000Z' });
      await publish(producer, Topics.cases, hearing, closed);
      const cancelled = await cancelledOf(fixture.caseId, 6);
      expect(cancelled.filter((row) => row.kind === 'show-cause-reminder').map((row) => row.reason)).toEqual(Array(3).fill('case-closed'));
      // Nothing was queued for the hearing (it was read before the closing, which follows it on the case's stream).
      expect((await caseLog(fixture.caseId)).map((row) => row.kind).sort()).toEqual(
        [
          'show-cause-notice',
          'show-cause-reminder',
          'show-cause-reminder',
          'show-cause-reminder',
          'takedown-notice',
          'takedown-notice',
          'takedown-reminder',
          'takedown-reminder',
          'takedown-reminder',
        ].sort(),
      );
    });
  });

  describe('decisions', () => {
    it("sends the finding, the sanction and the appeal decision to the officer: their own address in English, else the unit's in Urdu", async () => {
      setTime('2026-03-20T09:00:00.000Z');
      const own = newCase(unit, knownOfficer);
      const other = newCase(unit);
      const decisions = (fixture: CaseFixture) => [
        violationReported(fixture),
        caseEvent(fixture, 'FindingRecorded', {
          outcome: 'substantiated',
          clauses: ['SND-1'],
          appealableUntil: '2026-04-19T09:00:00.000Z',
          reasons: ['Filmed in uniform.'],
          recordedBy: 'ia-rashid',
          recordedAt: '2026-03-20T09:00:00.000Z',
        }),
        caseEvent(fixture, 'SanctionImposed', {
          sanction: 'censure',
          severity: 'minor',
          reasons: ['First breach.'],
          imposedBy: 'da-south',
          imposedAt: '2026-03-25T09:00:00.000Z',
          appealableUntil: '2026-04-24T09:00:00.000Z',
        }),
        caseEvent(fixture, 'AppealDecided', {
          appealId: 'appeal-1',
          outcome: 'dismissed',
          reasons: ["The video is the officer's."],
          decidedBy: 'da-range',
          decidedAt: '2026-04-15T09:00:00.000Z',
        }),
      ];
      await publish(producer, Topics.cases, ...decisions(own), ...decisions(other));
      await waitForLog(own.caseId, 3);
      await waitForLog(other.caseId, 3);
      await dispatch();

      const english = catcher
        .to(mailOf('imran'))
        .filter((mail) => mail.text.includes(own.caseId))
        .map((mail) => mail.subject);
      expect(english).toEqual(
        expect.arrayContaining([
          `Finding recorded in case ${own.caseId}: substantiated`,
          `Sanction imposed in case ${own.caseId}: censure`,
          `Appeal decided in case ${own.caseId}: dismissed`,
        ]),
      );
      expect(english).toHaveLength(3);
      const urdu = catcher.to(mailOf('officers')).filter((mail) => mail.text.includes(other.caseId));
      expect(urdu.map((mail) => mail.subject).sort()).toEqual(
        [
          `کیس ${other.caseId} میں فیصلہ درج: substantiated`,
          `کیس ${other.caseId} میں سزا: censure`,
          `کیس ${other.caseId} میں اپیل کا فیصلہ: dismissed`,
        ].sort(),
      );
      expect(urdu.find((mail) => mail.subject.includes('فیصلہ درج'))!.text).toContain('Filmed in uniform.');
    });

    it('notifies nobody of an event recorded longer than NOTICE_MAX_EVENT_AGE_HOURS (72) before it is read', async () => {
      const fixture = newCase(unit, knownOfficer);
      const finding = (recordedAt: string) =>
        caseEvent(fixture, 'FindingRecorded', { outcome: 'not-substantiated', reasons: ['No breach.'], recordedBy: 'ia-rashid', recordedAt });
      // Read four days after it was recorded: history, not news (e.g. a reset service replaying the topics).
      const reported = violationReported(fixture);
      const old = finding(new Date().toISOString());
      setTime(new Date(Date.now() + 4 * 24 * 3_600_000));
      await publish(producer, Topics.cases, reported, old);
      await eventually(async () => ((await service.db.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [old.eventId])).rowCount ?? 0) > 0, {
        what: 'the old finding read',
      });
      expect(await caseLog(fixture.caseId)).toEqual([]);

      // The same kind of event read two days after it was recorded is still news.
      setTime(new Date(Date.now() + 2 * 24 * 3_600_000));
      await publish(producer, Topics.cases, finding(new Date().toISOString()));
      expect((await waitForLog(fixture.caseId, 1)).map((row) => row.kind)).toEqual(['finding-recorded']);
    });

    it("flags early intervention to the SSP of the officer's unit", async () => {
      setTime('2026-05-02T09:00:00.000Z');
      const fixture = newCase(unit);
      await reportedCase(fixture);
      await publish(
        producer,
        Topics.cases,
        envelope(
          'EarlyInterventionFlagRaised',
          fixture.serviceNumber,
          'officer',
          1,
          {
            serviceNumber: fixture.serviceNumber,
            caseIds: [fixture.caseId],
            threshold: { substantiatedFindings: 3, withinDays: 365 },
            policy: { packId: 'sindh', version: 2 },
            windowStart: '2025-05-02T09:00:00.000Z',
            raisedAt: '2026-05-02T09:00:00.000Z',
          },
          fixture.jurisdiction,
        ),
      );
      await eventually(async () => (await log(`kind = 'early-intervention' AND recipient_address = $1`, [mailOf('ssp')])).length > 0, {
        what: 'the flag queued',
      });
      await dispatch();
      const mail = await catcher.waitFor(mailOf('ssp'), (candidate) => candidate.subject.includes(fixture.serviceNumber));
      expect(mail.subject).toBe(`Early intervention: Imran Ali (${fixture.serviceNumber})`);
      expect(mail.text).toContain('3 or more substantiated findings within 365 days');
      expect(mail.text).toContain(fixture.caseId);
    });

    it('sends approval decisions to whoever asked', async () => {
      setTime('2026-03-05T09:00:00.000Z');
      const requester = `KHI-${randomBytes(3).toString('hex')}`;
      const policy = { packId: 'sindh', version: 2, clauses: ['SND-1'] };
      const [granted, rejected, revoked] = [randomUUID(), randomUUID(), randomUUID()];
      await publish(
        producer,
        Topics.approvals,
        approvalRequested(granted, knownOfficer, unit, 'Eid greetings'),
        approvalEvent(granted, 2, 'ApprovalGranted', {
          decidedBy: 'ssp-south',
          decidedAt: '2026-03-05T09:00:00.000Z',
          policy,
          conditions: ['No faces of children'],
          validFrom: '2026-03-06T00:00:00.000Z',
          validUntil: '2026-03-13T00:00:00.000Z',
        }),
        approvalRequested(rejected, requester, unit, 'Patrol <video>'),
        approvalEvent(rejected, 2, 'ApprovalRejected', {
          decidedBy: 'ssp-south',
          decidedAt: '2026-03-05T09:00:00.000Z',
          policy,
          reasons: ['Shows the station inside & out'],
        }),
        approvalRequested(revoked, knownOfficer, unit, 'Open day'),
        approvalEvent(revoked, 2, 'ApprovalGranted', {
          decidedBy: 'ssp-south',
          decidedAt: '2026-03-05T09:00:00.000Z',
          policy,
          conditions: [],
          validFrom: '2026-03-06T00:00:00.000Z',
          validUntil: '2026-03-13T00:00:00.000Z',
        }),
        approvalEvent(revoked, 3, 'ApprovalRevoked', {
          decidedBy: 'ssp-south',
          decidedAt: '2026-03-05T10:00:00.000Z',
          policy,
          reason: 'Investigation pending',
        }),
      );
      await eventually(async () => (await log('approval_id = ANY($1)', [[granted, rejected, revoked]])).length === 4, {
        what: 'four approval notices',
      });
      await dispatch();
      const toOfficer = catcher.to(mailOf('imran')).map((mail) => mail.subject);
      expect(toOfficer).toEqual(
        expect.arrayContaining(['Approval granted: Eid greetings', 'Approval granted: Open day', 'Approval revoked: Open day']),
      );
      const grantedMail = catcher.to(mailOf('imran')).find((mail) => mail.subject === 'Approval granted: Eid greetings')!;
      expect(grantedMail.text).toContain('from 2026-03-06 05:00 PKT until 2026-03-13 05:00 PKT');
      expect(grantedMail.text).toContain('No faces of children');
      // No entry of their own: the unit's officer-facing address, in Urdu, with the title escaped in HTML.
      const rejectedMail = await catcher.waitFor(mailOf('officers'), (mail) => mail.subject.includes('Patrol'));
      expect(rejectedMail.subject).toBe('منظوری مسترد: Patrol <video>');
      expect(rejectedMail.html).toContain('Patrol &lt;video&gt;');
      expect(rejectedMail.html).toContain('Shows the station inside &amp; out');
    });
  });

  describe('delivery', () => {
    const queueFinding = async (fixture: CaseFixture) => {
      await reportedCase(
        fixture,
        caseEvent(fixture, 'FindingRecorded', {
          outcome: 'not-substantiated',
          reasons: ['Not the officer.'],
          recordedBy: 'ia-rashid',
          recordedAt: '2026-03-20T09:00:00.000Z',
        }),
      );
      const [row] = await waitForLog(fixture.caseId, 1);
      return row!.notification_id;
    };
    const entry = async (id: string) =>
      (await api().get(`/notifications/${id}`).set('Authorization', `Bearer ${admin}`).expect(200)).body as NotificationLogEntry;

    const attemptsCounted = async () => ({
      sent: (await metricSum('conduct_notice_send_attempts_total', { outcome: 'sent' })) ?? 0,
      failed: (await metricSum('conduct_notice_send_attempts_total', { outcome: 'failed' })) ?? 0,
      rejected: (await metricSum('conduct_notice_send_attempts_total', { outcome: 'rejected' })) ?? 0,
    });
    const countedSince = async (before: Awaited<ReturnType<typeof attemptsCounted>>) => {
      const now = await attemptsCounted();
      return { sent: now.sent - before.sent, failed: now.failed - before.failed, rejected: now.rejected - before.rejected };
    };

    it('retries a refused mail with exponential backoff and sends it once the server accepts', async () => {
      const counted = await attemptsCounted();
      const start = new Date('2026-03-20T09:00:00.000Z');
      setTime(start);
      const fixture = newCase(unit);
      const id = await queueFinding(fixture);
      catcher.refuse(451);
      expect(await dispatch()).toBe(1);
      expect(await dispatch()).toBe(0); // not due again before its backoff
      setTime(new Date(start.getTime() + RETRY_BASE_MS));
      expect(await dispatch()).toBe(1);
      catcher.accept();
      setTime(new Date(start.getTime() + RETRY_BASE_MS + 2 * RETRY_BASE_MS - 1));
      expect(await dispatch()).toBe(0);
      setTime(new Date(start.getTime() + 3 * RETRY_BASE_MS));
      expect(await dispatch()).toBe(1);

      expect(catcher.to(mailOf('officers')).filter((mail) => mail.text.includes(fixture.caseId))).toHaveLength(1);
      const audited = await entry(id);
      expect(audited.status).toBe('sent');
      expect(audited.attempts.map((attempt) => [attempt.attempt, attempt.outcome, attempt.final ?? null])).toEqual([
        [1, 'failed', false],
        [2, 'failed', false],
        [3, 'sent', null],
      ]);
      expect(audited.attempts[0]!.reason).toMatch(/451/);
      expect(audited.attempts[0]!.nextAttemptAt).toBe(new Date(start.getTime() + RETRY_BASE_MS).toISOString());
      expect(audited.attempts[1]!.nextAttemptAt).toBe(new Date(start.getTime() + 3 * RETRY_BASE_MS).toISOString());
      expect((await eventsOf(id)).map((event) => event.type)).toEqual([
        'NotificationQueued',
        'NotificationFailed',
        'NotificationFailed',
        'NotificationSent',
      ]);
      // What an alert on a failing mail server watches.
      expect(await countedSince(counted)).toEqual({ sent: 1, failed: 2, rejected: 0 });
    });

    it('gives up after NOTICE_MAX_ATTEMPTS, and at once on a permanent refusal', async () => {
      const start = new Date('2026-03-20T09:00:00.000Z');
      setTime(start);
      const temporary = await queueFinding(newCase(unit));
      catcher.refuse(451);
      for (let attempt = 0; attempt < 3; attempt++) {
        setTime(new Date(start.getTime() + attempt * 10 * RETRY_BASE_MS));
        expect(await dispatch()).toBe(1);
      }
      setTime(new Date(start.getTime() + 100 * RETRY_BASE_MS));
      expect(await dispatch()).toBe(0);
      const givenUp = await entry(temporary);
      expect(givenUp).toMatchObject({ status: 'failed' });
      expect(givenUp.attempts.map((attempt) => attempt.final)).toEqual([false, false, true]);
      const events = await eventsOf(temporary);
      expect(events.at(-1)).toMatchObject({ type: 'NotificationFailed', data: { attempt: 3, final: true } });
      expect(events.at(-1)!.data).not.toHaveProperty('nextAttemptAt');

      setTime(start);
      const permanent = await queueFinding(newCase(unit));
      catcher.refuse(550);
      const counted = await attemptsCounted();
      expect(await dispatch()).toBe(1);
      expect(await countedSince(counted)).toEqual({ sent: 0, failed: 0, rejected: 1 });
      expect(await entry(permanent)).toMatchObject({ status: 'failed', attempts: [{ attempt: 1, outcome: 'failed', final: true }] });
    });

    it("sends a redelivered or replayed event's notice once, and two dispatchers never send one twice", async () => {
      setTime('2026-03-20T09:00:00.000Z');
      const fixture = newCase(unit);
      const finding = caseEvent(fixture, 'FindingRecorded', {
        outcome: 'not-substantiated',
        reasons: ['Not the officer.'],
        recordedBy: 'ia-rashid',
        recordedAt: '2026-03-20T09:00:00.000Z',
      });
      await reportedCase(fixture, finding, finding);
      await waitForLog(fixture.caseId, 1);
      // A replay the inbox no longer remembers (e.g. a rebuilt inbox) derives the same notice id.
      const inboxed = async () =>
        (await service.db.query(`SELECT 1 FROM inbox WHERE consumer = 'notices-cases' AND event_id = $1`, [finding.eventId])).rowCount;
      await eventually(async () => (await inboxed()) === 1, { what: 'the finding in the inbox' });
      await service.db.query(`DELETE FROM inbox WHERE consumer = 'notices-cases' AND event_id = $1`, [finding.eventId]);
      await publish(producer, Topics.cases, finding);
      await eventually(async () => (await inboxed()) === 1, { what: 'the replayed finding applied' });
      expect(await caseLog(fixture.caseId)).toHaveLength(1);

      // Many notices, two dispatchers (as two replicas would run) at once.
      const many = Array.from({ length: 6 }, () => newCase(unit));
      for (const other of many)
        await reportedCase(
          other,
          caseEvent(other, 'FindingRecorded', {
            outcome: 'not-substantiated',
            reasons: ['Not the officer.'],
            recordedBy: 'ia-rashid',
            recordedAt: '2026-03-20T09:00:00.000Z',
          }),
        );
      for (const other of many) await waitForLog(other.caseId, 1);
      const first = service.app.get(NoticeDispatcher);
      const app = service.app;
      const second = new NoticeDispatcher(
        app.get(DataSource),
        app.get(MailSender),
        clock(),
        app.get(NotificationServiceConfig),
        app.get(MessagingLifecycle),
        app.get(EventStore),
        app.get(PersonalDataKeys),
        await app.resolve(PinoLogger),
      );
      const [a, b] = await Promise.all([first.runOnce(), second.runOnce()]);
      expect(a + b).toBe(7);
      for (const other of [fixture, ...many]) {
        expect(catcher.to(mailOf('officers')).filter((mail) => mail.text.includes(other.caseId))).toHaveLength(1);
      }
    });

    // Scenario 9 of the faults issue: a notice held its row lock, in an open transaction, for the
    // whole SMTP exchange, and every outbox relay on the cluster waited for that transaction.
    it('sends with no transaction open, so a slow mail server holds back no relay', async () => {
      setTime('2026-03-20T09:00:00.000Z');
      const fixture = newCase(unit);
      const id = await queueFinding(fixture);
      catcher.hold();
      const sending = dispatch();
      await eventually(() => catcher.mails.some((mail) => mail.messageId === `<${id}@notifications.conduct>`), { what: 'the mail on the wire' });
      // Other work passes through 'idle in transaction' for a moment between statements; the old
      // dispatcher sat there for the whole exchange.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const { rows } = await service.db.query(
        `SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND state_change < now() - interval '500 milliseconds'`,
      );
      expect(rows).toEqual([]);
      catcher.release();
      expect(await sending).toBe(1);
      expect((await eventsOf(id)).map((event) => event.type)).toEqual(['NotificationQueued', 'NotificationSent']);
    });

    it('resends with the same Message-ID once the lease of a dispatcher that died after the server accepted has run out (the documented window)', async () => {
      setTime('2026-03-20T09:00:00.000Z');
      const fixture = newCase(unit);
      const id = await queueFinding(fixture);
      catcher.hold();
      const sending = dispatch();
      await eventually(() => catcher.mails.some((mail) => mail.messageId === `<${id}@notifications.conduct>`), { what: 'the mail on the wire' });
      // The dispatcher freezes while the mail server is about to say 250 OK, past its lease: the
      // lease is gone when it wakes, and it records nothing.
      await service.db.query(`UPDATE pending_notices SET lease_token = gen_random_uuid(), lease_until = $2 WHERE notification_id = $1`, [
        id,
        new Date('2026-03-20T08:00:00.000Z'),
      ]);
      catcher.release();
      // Its own run finds the row free again (the lease ran out) and takes it over, as another replica would.
      expect(await sending).toBe(2);
      const copies = catcher.mails.filter((mail) => mail.text.includes(fixture.caseId));
      expect(copies.map((mail) => mail.messageId)).toEqual([`<${id}@notifications.conduct>`, `<${id}@notifications.conduct>`]);
      expect((await eventsOf(id)).map((event) => event.type)).toEqual(['NotificationQueued', 'NotificationSent']);
    });

    it('records a notice nobody in the directory can receive, carries on, and queues it when the event is replayed after the entry was added', async () => {
      setTime('2026-03-20T09:00:00.000Z');
      const nowhere = newCase(`ps-nowhere-${randomBytes(3).toString('hex')}`);
      const finding = caseEvent(nowhere, 'FindingRecorded', {
        outcome: 'not-substantiated',
        reasons: ['x'],
        recordedBy: 'ia-rashid',
        recordedAt: '2026-03-20T09:00:00.000Z',
      });
      await reportedCase(nowhere, finding);
      const [row] = await waitForLog(nowhere.caseId, 1);
      expect(row).toMatchObject({ status: 'unresolved', recipient_address: null });
      expect(row!.reason).toContain(`no directory entry for OFFICER:${nowhere.serviceNumber}`);
      expect(await eventsOf(row!.notification_id)).toEqual([]);
      const next = newCase(unit);
      await queueFinding(next);

      await api()
        .post('/recipients')
        .set('Authorization', `Bearer ${admin}`)
        .send({ unitId: nowhere.unitId, role: 'OFFICER', name: 'Found at last', email: mailOf('found'), language: 'en' })
        .expect(201);
      await service.db.query(`DELETE FROM inbox WHERE consumer = 'notices-cases' AND event_id = $1`, [finding.eventId]);
      await publish(producer, Topics.cases, finding);
      await eventually(async () => (await caseLog(nowhere.caseId))[0]?.status === 'queued', { what: 'the replayed notice queued' });
      await dispatch();
      expect((await catcher.waitFor(mailOf('found'))).subject).toBe(`Finding recorded in case ${nowhere.caseId}: not-substantiated`);
      expect((await caseLog(nowhere.caseId)).map((entry) => [entry.notification_id, entry.status])).toEqual([[row!.notification_id, 'sent']]);
    });

    it("publishes the notice's events on conduct.notifications.v1 with the case id and the case's jurisdiction", async () => {
      setTime('2026-03-20T09:00:00.000Z');
      const fixture = newCase(unit);
      const id = await queueFinding(fixture);
      await dispatch();
      const published = await eventually(
        () => {
          const mine = recorder.messages.filter((message) => message.key === id).map((message) => JSON.parse(message.value!) as EventEnvelope);
          return mine.length === 2 ? mine : undefined;
        },
        { what: 'NotificationQueued and NotificationSent on Kafka' },
      );
      expect(published.map((message) => message.type)).toEqual(['NotificationQueued', 'NotificationSent']);
      for (const message of published) {
        expect(message.data).toMatchObject({ notificationId: id, caseId: fixture.caseId });
        expect(message.jurisdiction).toEqual(fixture.jurisdiction);
        expect(message.actor).toEqual({ id: 'system:notifications', role: 'SYSTEM' });
      }
      expect(published[0]!.data).toMatchObject({
        kind: 'finding-recorded',
        channel: 'email',
        recipient: { role: 'OFFICER', id: fixture.serviceNumber, address: mailOf('officers'), language: 'ur' },
        sourceEventType: 'FindingRecorded',
      });
      expect(published[1]!.data).toMatchObject({ attempt: 1, messageId: `<${id}@notifications.conduct>` });
    });
  });

  describe('audit log over HTTP', () => {
    it("lists a case's notices with their status, per recipient and status, within the caller's scope", async () => {
      setTime('2026-03-04T09:00:00.000Z');
      const fixture = newCase(unit, knownOfficer);
      await reportedCase(fixture, takedownNoticeIssued(fixture, '2026-03-04T09:00:00.000Z', '2026-03-11T09:00:00.000Z'));
      await waitForLog(fixture.caseId, 5);
      await dispatch();
      const get = (path: string, token = admin) => api().get(path).set('Authorization', `Bearer ${token}`);

      const all = (await get(`/notifications?caseId=${fixture.caseId}`).expect(200)).body as { items: NotificationLogEntry[]; total: number };
      expect(all.total).toBe(5);
      expect(all.items.map((item) => item.status).sort()).toEqual(['queued', 'queued', 'queued', 'sent', 'sent']);
      const sent = (await get(`/notifications?caseId=${fixture.caseId}&status=sent&recipient=${mailOf('sho')}`).expect(200)).body as {
        items: NotificationLogEntry[];
      };
      expect(sent.items).toHaveLength(1);
      expect(sent.items[0]).toMatchObject({
        kind: 'takedown-notice',
        recipient: { role: 'SUPERVISOR', name: 'SHO' },
        jurisdiction: fixture.jurisdiction,
        source: { type: 'TakedownNoticeIssued' },
      });
      const byServiceNumber = (await get(`/notifications?caseId=${fixture.caseId}&recipient=${knownOfficer}`).expect(200)).body as { total: number };
      expect(byServiceNumber.total).toBe(4);

      const sindhAnalyst = service.token({ subject: 'hq-sindh', roles: ['HQ_ANALYST'], scope: { province: 'sindh' } });
      const punjabAnalyst = service.token({ subject: 'hq-punjab', roles: ['HQ_ANALYST'], scope: { province: 'punjab' } });
      const analystView = (await get(`/notifications?caseId=${fixture.caseId}`, sindhAnalyst).expect(200)).body as {
        total: number;
        items: NotificationLogEntry[];
        redacted: string[];
      };
      expect(analystView.total).toBe(5);
      // Analysts see service numbers and roles, never names, addresses or a subject that names the officer.
      expect(analystView.items.map(({ recipient, subject }) => [recipient.name, recipient.address, subject])).toEqual(
        Array(5).fill([null, null, null]),
      );
      expect(analystView.items.map(({ recipient }) => recipient.id)).toContain(knownOfficer);
      expect(analystView.redacted).toEqual(['[].recipient.address', '[].recipient.name', '[].subject']);
      // ... nor probe an address through the filter; the service number works.
      expect(
        ((await get(`/notifications?caseId=${fixture.caseId}&recipient=${mailOf('sho')}`, sindhAnalyst).expect(200)).body as { total: number }).total,
      ).toBe(0);
      expect(
        ((await get(`/notifications?caseId=${fixture.caseId}&recipient=${knownOfficer}`, sindhAnalyst).expect(200)).body as { total: number }).total,
      ).toBe(4);
      expect(all).not.toHaveProperty('redacted');
      expect(((await get(`/notifications?caseId=${fixture.caseId}`, punjabAnalyst).expect(200)).body as { total: number }).total).toBe(0);
      const one = sent.items[0]!.notificationId;
      await get(`/notifications/${one}`, punjabAnalyst).expect(404);
      expect(((await get(`/notifications/${one}`, sindhAnalyst).expect(200)).body as NotificationLogEntry).attempts).toHaveLength(1);
      await get(`/notifications?caseId=${fixture.caseId}`, service.token({ subject: knownOfficer, roles: ['OFFICER'] })).expect(403);
      await get(`/notifications/not-a-uuid`).expect(400);
      await get(`/notifications/${randomUUID()}`).expect(404);
      await get(`/notifications?status=lost`).expect(400);
    });
  });

  describe("an officer's personal data (sealed under their key, erased with it)", () => {
    it('records their name and address sealed, mails and lists them in clear, and forgets them once their data is erased', async () => {
      setTime('2026-03-04T09:00:00.000Z');
      const keys = service.app.get(PersonalDataKeys);
      const run = randomBytes(3).toString('hex');
      const own = {
        unitId: `${unit}-pd`,
        role: 'OFFICER',
        serviceNumber: `PD-${run}`,
        name: `Constable Sana ${run}`,
        email: mailOf(`sana-${run}`),
        language: 'en',
      };
      const http = (path: string) => api().get(path).set('Authorization', `Bearer ${admin}`);
      const entry = (await api().post('/recipients').set('Authorization', `Bearer ${admin}`).send(own).expect(201)).body as Recipient;
      const tablesHolding = async (text: string): Promise<string[]> => {
        const tables = (await service.db.query<{ name: string }>(`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'`))
          .rows;
        const found: string[] = [];
        for (const { name } of tables) {
          const { rows } = await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${name} t WHERE t::text LIKE '%' || $1 || '%'`, [text]);
          if (Number(rows[0]!.n) > 0) found.push(name);
        }
        return found.sort();
      };

      // The case as violation-service records it: the officer's name sealed under their key.
      const fixture = { ...newCase(own.unitId, own.serviceNumber), officerName: await keys.seal(own.serviceNumber, own.name) };
      await reportedCase(fixture, takedownNoticeIssued(fixture, '2026-03-04T09:00:00.000Z', '2026-03-11T09:00:00.000Z'));
      const queued = await eventually(
        async () => ((await caseLog(fixture.caseId)).filter((row) => row.status !== 'unresolved').length >= 4 ? caseLog(fixture.caseId) : undefined),
        {
          what: 'the notice and reminders to the officer',
        },
      );
      expect(queued.filter((row) => row.status === 'queued').map((row) => row.recipient_address)).toEqual(Array(4).fill(own.email));
      const [queuedEvent] = await eventsOf(queued.find((row) => row.kind === 'takedown-notice' && row.status === 'queued')!.notification_id);
      const recipient = queuedEvent!.data['recipient'] as { name: string; address: string };
      expect(recipient.name).toMatch(/^pii:v1:/);
      expect(recipient.address).toMatch(/^pii:v1:/);
      // Only the directory holds them in clear.
      expect(await tablesHolding(own.name)).toEqual(['recipient_edits', 'recipients']);
      expect(await tablesHolding(own.email)).toEqual(['recipient_edits', 'recipients']);

      await dispatch();
      const mailed = await catcher.waitFor(own.email);
      expect(mailed.text).toContain(`Dear ${own.name},`);
      const listed = (await http(`/notifications?caseId=${fixture.caseId}&recipient=${own.serviceNumber}`).expect(200)).body as {
        items: NotificationLogEntry[];
      };
      expect(listed.items[0]!.recipient).toMatchObject({ name: own.name, address: own.email });

      // violation-service deletes the key and publishes the erasure on the officer's stream.
      await keys.erase(own.serviceNumber);
      await publish(
        producer,
        Topics.cases,
        envelope('PersonalDataErased', own.serviceNumber, 'officer', 1, {
          serviceNumber: own.serviceNumber,
          reasons: ['The officer asked for erasure'],
          basis: 'request',
          erasedBy: 'admin-hq',
          erasedAt: '2026-03-20T09:00:00.000Z',
        }),
      );
      await eventually(async () => (await tablesHolding(own.name)).length === 0 && (await tablesHolding(own.email)).length === 0, {
        what: 'the name and address gone from every table',
      });
      expect(((await http(`/recipients?serviceNumber=${own.serviceNumber}`).expect(200)).body as { total: number }).total).toBe(0);
      const history = (await http(`/recipients/${entry.id}/history`).expect(200)).body as RecipientEdit[];
      expect(history.map((edit) => edit.action)).toEqual(['created', 'removed']);
      expect(history[0]!.after).toMatchObject({ serviceNumber: own.serviceNumber, name: '[erased]', email: '[erased]' });
      const erased = (await http(`/notifications?caseId=${fixture.caseId}&recipient=${own.serviceNumber}`).expect(200)).body as {
        items: NotificationLogEntry[];
      };
      expect(erased.items.length).toBeGreaterThan(0);
      expect(erased.items.every((item) => item.recipient.name === '[erased]' && item.recipient.address === '[erased]')).toBe(true);
      // The seed file does not put the entry back.
      await service.app.get(RecipientDirectory).upsert(own, 'seed');
      expect(((await http(`/recipients?serviceNumber=${own.serviceNumber}`).expect(200)).body as { total: number }).total).toBe(0);
    });
  });

  describe('recipient directory over HTTP', () => {
    const other = `ps-dir-${randomBytes(3).toString('hex')}`;
    const body = { unitId: other, role: 'SSP', name: 'SSP East', email: 'ssp.east@police.test', language: 'en' };
    const as = (token: string) => ({
      post: (path: string, payload: object) => api().post(path).set('Authorization', `Bearer ${token}`).send(payload),
      get: (path: string) => api().get(path).set('Authorization', `Bearer ${token}`),
      put: (path: string, payload: object) => api().put(path).set('Authorization', `Bearer ${token}`).send(payload),
      patch: (path: string, payload: object) => api().patch(path).set('Authorization', `Bearer ${token}`).send(payload),
      delete: (path: string) => api().delete(path).set('Authorization', `Bearer ${token}`),
    });

    it('creates, lists, reads, updates and deletes entries, for ADMINs only', async () => {
      const http = as(admin);
      const created = (await http.post('/recipients', body).expect(201)).body as { id: string };
      expect(created).toMatchObject({ ...body, serviceNumber: null });
      await http.post('/recipients', { ...body, name: 'Another SSP' }).expect(409);
      await http
        .post('/recipients', {
          unitId: other,
          role: 'OFFICER',
          serviceNumber: 'EAST-1',
          name: 'Constable East',
          email: 'east1@police.test',
          language: 'ur',
        })
        .expect(201);
      await http
        .post('/recipients', { unitId: other, role: 'OFFICER', serviceNumber: 'EAST-1', name: 'Again', email: 'east1b@police.test', language: 'ur' })
        .expect(409);

      const listed = (await http.get(`/recipients?unitId=${other}`).expect(200)).body as { items: { role: string }[]; total: number };
      expect(listed.total).toBe(2);
      expect(((await http.get(`/recipients?unitId=${other}&role=SSP`).expect(200)).body as { items: unknown[] }).items).toHaveLength(1);
      expect((await http.get(`/recipients?unitId=${other}&pageSize=1&page=2`).expect(200)).body as { items: unknown[]; total: number }).toMatchObject(
        { total: 2 },
      );

      expect((await http.get(`/recipients/${created.id}`).expect(200)).body).toMatchObject(body);
      expect((await http.patch(`/recipients/${created.id}`, { language: 'ur' }).expect(200)).body).toMatchObject({ ...body, language: 'ur' });
      expect((await http.put(`/recipients/${created.id}`, { ...body, email: 'ssp.east2@police.test' }).expect(200)).body).toMatchObject({
        email: 'ssp.east2@police.test',
        language: 'en',
      });
      await http.delete(`/recipients/${created.id}`).expect(204);
      await http.get(`/recipients/${created.id}`).expect(404);
      await http.delete(`/recipients/${created.id}`).expect(404);

      // Who changed the directory and when, kept after the entry is gone; a refused change records nothing.
      const history = (await http.get(`/recipients/${created.id}/history`).expect(200)).body as RecipientEdit[];
      expect(
        history.map(({ action, editedBy, before, after }) => [
          action,
          editedBy,
          before?.language ?? null,
          after?.language ?? null,
          after?.email ?? null,
        ]),
      ).toEqual([
        ['created', 'admin', null, 'en', 'ssp.east@police.test'],
        ['updated', 'admin', 'en', 'ur', 'ssp.east@police.test'],
        ['updated', 'admin', 'ur', 'en', 'ssp.east2@police.test'],
        ['removed', 'admin', 'en', null, null],
      ]);
      expect(history[1]!.after).toMatchObject({ createdBy: 'admin', updatedBy: 'admin' });
      expect(Date.parse(history[3]!.editedAt)).toBeGreaterThanOrEqual(Date.parse(history[0]!.editedAt));
      await http.get('/recipients/00000000-0000-4000-8000-000000000000/history').expect(404);

      const officer = as(service.token({ subject: 'KHI-1', roles: ['OFFICER'] }));
      await officer.get('/recipients').expect(403);
      await officer.post('/recipients', body).expect(403);
    });

    it('answers bad input with problem+json naming the field, and stores nothing', async () => {
      const http = as(admin);
      const empty = `ps-empty-${randomBytes(3).toString('hex')}`;
      const body = { unitId: empty, role: 'SSP', name: 'SSP East', email: 'ssp.east@police.test', language: 'en' };
      const bad = [
        { ...body, role: 'IGP' },
        { ...body, email: 'not-an-address' },
        { ...body, language: 'fr' },
        { ...body, unitId: 'Bad Unit' },
        { ...body, phone: '123' },
        { ...body, serviceNumber: 'X-1' },
      ];
      const fields = ['role', 'email', 'language', 'unitId', 'phone', 'serviceNumber'];
      for (const [index, payload] of bad.entries()) {
        const response = await http.post('/recipients', payload);
        expect([400, 422]).toContain(response.status);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(JSON.stringify(response.body)).toContain(fields[index]);
      }
      await http.get('/recipients/not-a-uuid').expect(400);
      expect(((await http.get(`/recipients?unitId=${empty}`).expect(200)).body as { total: number }).total).toBe(0);
    });

    it('loaded the seed file on start and loads it again on restart without duplicates', async () => {
      const http = as(admin);
      const seeded = (await http.get(`/recipients?unitId=${unit}`).expect(200)).body as { total: number };
      expect(seeded.total).toBe(6);
      const editsOfUnit = async () =>
        Number(
          (
            await service.db.query<{ n: string }>(`SELECT count(*) AS n FROM recipient_edits WHERE after->>'unitId' = $1 OR before->>'unitId' = $1`, [
              unit,
            ])
          ).rows[0]!.n,
        );
      const before = await editsOfUnit();
      expect(
        ((await http.get(`/recipients?unitId=${unit}`).expect(200)).body as { items: Recipient[] }).items.every(
          (entry) => entry.createdBy === 'seed',
        ),
      ).toBe(true);
      await service.restart();
      expect(((await as(admin).get(`/recipients?unitId=${unit}`).expect(200)).body as { total: number }).total).toBe(6);
      expect(await editsOfUnit()).toBe(before); // the same file again changes nothing, so records nothing
    });
  });
});
