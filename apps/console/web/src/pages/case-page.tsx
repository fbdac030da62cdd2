import { FormEvent, useCallback, useEffect, useState } from 'react';
import { ActionPanel } from '../action-panel';
import { api, ApiError } from '../api';
import { useConsole } from '../context';
import { countdown, formatPakistanTime, pakistanLocalToIso } from '../lib/format';
import { useLiveChanges } from '../live';
import { CaseAction, caseActions, CaseView, readsLiveChanges } from '../lib/permissions';
import { reasonLines, textField } from '../lib/forms';
import { FormErrors, formErrors } from '../lib/problems';

interface CaseDetail extends CaseView {
  caseId: string;
  version: number;
  file: CaseView['file'] & {
    report?: {
      officer?: { serviceNumber?: string; name?: string; rank?: string };
      policy?: { packId: string; clauses: string[] };
      description?: string;
    };
    takedown?: { noticeId: string; status: string; dueAt: string; removedAt?: string } | null;
    escalationLevel?: string;
  };
}

interface TimelineEvent {
  eventId: string;
  type: string;
  streamType: string;
  occurredAt: string;
  actor: { id: string; role: string };
  summary?: string;
}

interface Timeline {
  events: TimelineEvent[];
  verification: { intact: boolean; streams: { status: 'intact' | 'incomplete' | 'tampered'; eventsChecked: number }[] };
}

/** Changes arrive over GET /live; reading again this often is the safety net (and all an officer has). */
const REFRESH_MS = 30_000;

/** What each action posts, relative to /api/violation/cases/:id. */
function actionRequest(action: CaseAction, view: CaseDetail, subject: string, form: FormData): { path: string; body: object } {
  const reasons = reasonLines(form);
  switch (action) {
    case 'assign-self':
      return { path: 'investigator', body: { investigatorId: subject } };
    case 'serve-takedown':
      return { path: 'takedown-notices', body: {} };
    case 'record-removal':
      return { path: `takedown-notices/${view.file?.takedown?.noticeId ?? ''}/removal`, body: {} };
    case 'add-note':
      return { path: 'notes', body: { text: textField(form, 'text') } };
    case 'record-finding':
      return { path: 'findings', body: { outcome: textField(form, 'outcome'), clauses: view.file?.report?.policy?.clauses ?? [], reasons } };
    case 'impose-sanction':
      return { path: 'sanctions', body: { sanction: textField(form, 'sanction'), reasons } };
    case 'close':
      return { path: 'close', body: { reasons } };
  }
}

/** What an action asks for before it is sent; none for the one-click ones. */
function ActionFields({ action }: { action: CaseAction }) {
  const { t } = useConsole();
  const reasons = (
    <label>
      {t('case.reasons')}
      <textarea name="reasons" rows={2} required />
    </label>
  );
  switch (action) {
    case 'add-note':
      return (
        <label>
          {t('case.note')}
          <textarea name="text" rows={2} required />
        </label>
      );
    case 'record-finding':
      return (
        <>
          <label>
            outcome
            <select name="outcome" defaultValue="substantiated">
              <option>substantiated</option>
              <option>unsubstantiated</option>
            </select>
          </label>
          {reasons}
        </>
      );
    case 'impose-sanction':
      return (
        <>
          <label>
            sanction
            <input name="sanction" required />
          </label>
          {reasons}
        </>
      );
    case 'close':
      return reasons;
    case 'assign-self':
    case 'serve-takedown':
    case 'record-removal':
      return null;
  }
}

/** Live countdown to the takedown deadline, to the minute. */
function TakedownCountdown({ takedown }: { takedown: NonNullable<CaseDetail['file']['takedown']> }) {
  const { t, language } = useConsole();
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (takedown.status === 'removed') return <p className="takedown done">{t('case.removed')}</p>;
  const left = countdown(takedown.dueAt, now);
  return (
    <p className={`takedown ${left.overdue ? 'overdue' : ''}`} role="timer" aria-live="off">
      {t('case.takedownDue', { due: formatPakistanTime(takedown.dueAt, language) })} ·{' '}
      <strong>{t(left.overdue ? 'case.overdueBy' : 'case.countdown', { days: left.days, hours: left.hours, minutes: left.minutes })}</strong>
    </p>
  );
}

function VerificationBadge({ verification }: { verification: Timeline['verification'] }) {
  const { t } = useConsole();
  const statuses = verification.streams.map((stream) => stream.status);
  const status = statuses.includes('tampered') ? 'tampered' : statuses.includes('incomplete') ? 'incomplete' : 'intact';
  const count = verification.streams.reduce((sum, stream) => sum + stream.eventsChecked, 0);
  return (
    <span className={`badge badge-${status}`} data-testid="verification">
      {t(`case.verification.${status}`, { count })}
    </span>
  );
}

/** One case: its state (now or as of a moment), the actions the person may take, its timeline. */
export function CasePage({ caseId }: { caseId: string }) {
  const { t, language, viewer } = useConsole();
  const [view, setView] = useState<CaseDetail | undefined>();
  const [etag, setEtag] = useState<string | null>(null);
  const [asOf, setAsOf] = useState('');
  // null: this person's role does not read timelines, or reporting-service has not the case yet.
  const [timeline, setTimeline] = useState<Timeline | null | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState<CaseAction | undefined>();
  const [actionErrors, setActionErrors] = useState<FormErrors>({ fields: {} });

  const load = useCallback(async () => {
    const at = asOf ? pakistanLocalToIso(asOf) : undefined;
    try {
      const { body, etag: tag } = await api<CaseDetail>(`/api/violation/cases/${caseId}${at ? `?asOf=${encodeURIComponent(at)}` : ''}`);
      setView(body);
      setEtag(tag);
      setError(undefined);
    } catch (failure) {
      setError((failure as Error).message);
    }
    // The timeline is reporting-service's: it follows the case a moment behind, and only some roles read it.
    api<Timeline>(`/api/reporting/cases/${caseId}/timeline`).then(
      ({ body }) => setTimeline(body),
      () => setTimeline(null),
    );
  }, [caseId, asOf]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  // Events recorded by others (a deadline missed, a note) show without a reload.
  useLiveChanges((change) => {
    if (change.kind === 'resync' || change.id === caseId) void load();
  }, readsLiveChanges(viewer));

  const act = async (action: CaseAction, event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!view) return;
    const { path, body } = actionRequest(action, view, viewer.subject, new FormData(event.currentTarget));
    try {
      await api(`/api/violation/cases/${caseId}/${path}`, { method: 'POST', body, ifMatch: etag ?? undefined });
      setOpen(undefined);
      setActionErrors({ fields: {} });
      await load();
    } catch (failure) {
      setActionErrors(
        failure instanceof ApiError
          ? formErrors(failure.problem, ['text', 'reasons', 'outcome', 'sanction'])
          : { fields: {}, general: String(failure) },
      );
    }
  };

  if (error)
    return (
      <p role="alert" className="error">
        {t('common.error', { detail: error })}
      </p>
    );
  if (!view) return <p>{t('common.loading')}</p>;
  const officer = view.file?.report?.officer;
  const actions = asOf ? [] : caseActions(viewer, view);
  return (
    <section>
      <h1>{t('case.title', { id: caseId.slice(0, 8) })}</h1>
      <dl className="facts">
        <dt>{t('case.status')}</dt>
        <dd data-testid="case-status">
          {view.status} · {view.outcome?.stage ?? '–'}
        </dd>
        <dt>{t('case.officer')}</dt>
        <dd>{[officer?.serviceNumber, officer?.rank, officer?.name].filter(Boolean).join(' · ') || '–'}</dd>
        <dt>{t('case.investigator')}</dt>
        <dd data-testid="case-investigator">{view.file?.investigatorId ?? t('case.unassigned')}</dd>
      </dl>
      {view.file?.takedown && <TakedownCountdown takedown={view.file.takedown} />}
      <label className="as-of">
        {t('case.asOf')}
        <input type="datetime-local" value={asOf} onChange={(event) => setAsOf(event.target.value)} />
        {asOf && (
          <button type="button" onClick={() => setAsOf('')}>
            {t('case.asOfNow')}
          </button>
        )}
      </label>
      {asOf && <p className="hint">{t('case.asOfShowing', { at: asOf.replace('T', ' '), version: view.version })}</p>}
      <ActionPanel
        actions={actions}
        open={open}
        onOpen={(action) => (setOpen(action), setActionErrors({ fields: {} }))}
        labelOf={(action) => t(`case.action.${action}`)}
        onSubmit={(action, event) => void act(action, event)}
        general={actionErrors.general}
      >
        {open && <ActionFields action={open} />}
        {Object.entries(actionErrors.fields).map(([field, reason]) => (
          <p key={field} className="field-error">
            {field}: {reason}
          </p>
        ))}
      </ActionPanel>
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">
          {t('case.timeline')} {timeline && <VerificationBadge verification={timeline.verification} />}
        </h2>
        {timeline ? (
          <ol className="timeline">
            {timeline.events.map((event) => (
              <li key={event.eventId}>
                <time dateTime={event.occurredAt}>{formatPakistanTime(event.occurredAt, language)}</time> <strong>{event.type}</strong>
                {event.summary ? ` — ${event.summary}` : ''} <span className="actor">({event.actor.id})</span>
              </li>
            ))}
          </ol>
        ) : timeline === undefined ? (
          <p>{t('common.loading')}</p>
        ) : null}
      </section>
    </section>
  );
}
