import { FormEvent, useCallback, useEffect, useState } from 'react';
import { ActionPanel } from '../action-panel';
import { api, ApiError } from '../api';
import { useConsole } from '../context';
import { formatPakistanTime, pakistanLocalToIso } from '../lib/format';
import { reasonLines, textField } from '../lib/forms';
import { ApprovalAction, approvalActions } from '../lib/permissions';
import { FormErrors, formErrors } from '../lib/problems';
import { sha256Hex } from '../lib/sha256';

interface HistoryEvent {
  version: number;
  type: string;
  occurredAt: string;
  actor: { id: string; role: string };
  data: { clause?: string; reason?: string; code?: string; url?: string; conditions?: string[]; validUntil?: string; reasons?: string[] };
}

interface ApprovalDetail {
  approvalId: string;
  status: string;
  version: number;
  request: {
    title: string;
    description: string;
    platform: string;
    features: string[];
    mediaSha256: string;
    officialAccountId: string;
    intendedPublicationAt: string;
    requester: { id: string };
    policy: { packId: string; version: number; clauses: string[] };
  };
  history: HistoryEvent[];
}

interface Account {
  accountId: string;
  platform: string;
  handle: string;
  status: string;
}

const FIELDS = ['conditions', 'validUntil', 'reasons', 'reason', 'url', 'officialAccountId', 'mediaSha256', 'publishedAt'];

function requestFor(action: ApprovalAction, form: FormData, mediaSha256: string): { path: string; body: object } {
  switch (action) {
    case 'grant':
      return {
        path: 'grant',
        body: {
          conditions: reasonLines(form, 'conditions'),
          validUntil: pakistanLocalToIso(textField(form, 'validUntil')) ?? textField(form, 'validUntil'),
        },
      };
    case 'reject':
      return { path: 'reject', body: { reasons: reasonLines(form) } };
    case 'revoke':
      return { path: 'revoke', body: { reason: textField(form, 'reason') } };
    case 'record-publication':
      return {
        path: 'publications',
        body: {
          url: textField(form, 'url'),
          officialAccountId: textField(form, 'officialAccountId'),
          mediaSha256,
          // Left empty: it went out just now.
          publishedAt: textField(form, 'publishedAt')
            ? (pakistanLocalToIso(textField(form, 'publishedAt')) ?? textField(form, 'publishedAt'))
            : new Date().toISOString(),
        },
      };
  }
}

/** One pre-approval request: what was asked, the decision, the publication and every refused attempt with its clause. */
export function ApprovalPage({ approvalId }: { approvalId: string }) {
  const { t, language, viewer } = useConsole();
  const [approval, setApproval] = useState<ApprovalDetail | undefined>();
  const [etag, setEtag] = useState<string | null>(null);
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [open, setOpen] = useState<ApprovalAction | undefined>();
  const [mediaSha256, setMediaSha256] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [loadError, setLoadError] = useState<string | undefined>();

  const load = useCallback(async () => {
    try {
      const { body, etag: tag } = await api<ApprovalDetail>(`/api/approval/approvals/${approvalId}`);
      setApproval(body);
      setEtag(tag);
    } catch (failure) {
      setLoadError((failure as Error).message);
    }
  }, [approvalId]);
  useEffect(() => {
    void load();
    api<{ items: Account[] }>('/api/approval/official-accounts?status=active').then(
      ({ body }) => setAccounts(body.items),
      () => setAccounts([]),
    );
  }, [load]);

  const act = async (action: ApprovalAction, event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { path, body } = requestFor(action, new FormData(event.currentTarget), mediaSha256);
    try {
      await api(`/api/approval/approvals/${approvalId}/${path}`, {
        method: 'POST',
        body,
        ifMatch: action === 'record-publication' ? undefined : (etag ?? undefined),
      });
      setOpen(undefined);
      setErrors({ fields: {} });
    } catch (failure) {
      setErrors(failure instanceof ApiError ? formErrors(failure.problem, FIELDS) : { fields: {}, general: String(failure) });
    }
    // A refused publication is recorded too: the history shows it either way.
    await load();
  };

  if (loadError)
    return (
      <p role="alert" className="error">
        {t('common.error', { detail: loadError })}
      </p>
    );
  if (!approval) return <p>{t('common.loading')}</p>;
  const actions = approvalActions(viewer, approval.status);
  const refused = approval.history.filter((event) => event.type === 'PublicationRefused');
  const granted = approval.history.find((event) => event.type === 'ApprovalGranted');
  const error = (field: string) => errors.fields[field] && <span className="field-error">{errors.fields[field]}</span>;

  return (
    <section>
      <h1>{approval.request.title}</h1>
      <dl className="facts">
        <dt>{t('cases.status')}</dt>
        <dd data-testid="approval-status">{approval.status}</dd>
        <dt>{t('approvals.requester')}</dt>
        <dd>{approval.request.requester.id}</dd>
        <dt>{t('report.platform')}</dt>
        <dd>
          {approval.request.platform} · {approval.request.features.join(', ')}
        </dd>
        <dt>{t('approvals.clauses')}</dt>
        <dd>
          {approval.request.policy.clauses.join(', ')} ({approval.request.policy.packId} v{approval.request.policy.version})
        </dd>
        <dt>{t('approvals.intended')}</dt>
        <dd>{formatPakistanTime(approval.request.intendedPublicationAt, language)}</dd>
        <dt>SHA-256</dt>
        <dd className="hash">{approval.request.mediaSha256}</dd>
        {granted?.data.conditions && granted.data.conditions.length > 0 && (
          <>
            <dt>{t('approvals.conditionsSet')}</dt>
            <dd>{granted.data.conditions.join('; ')}</dd>
          </>
        )}
      </dl>
      <p>{approval.request.description}</p>
      <ActionPanel
        actions={actions}
        open={open}
        onOpen={(action) => (setOpen(action), setErrors({ fields: {} }))}
        labelOf={(action) => t(`approvals.action.${action}`)}
        onSubmit={(action, event) => void act(action, event)}
        general={errors.general}
      >
        {open === 'grant' && (
          <>
            <label>
              {t('approvals.conditions')}
              <textarea name="conditions" rows={2} />
            </label>
            {error('conditions')}
            <label>
              {t('approvals.validUntil')}
              <input type="datetime-local" name="validUntil" required />
            </label>
            {error('validUntil')}
          </>
        )}
        {open === 'reject' && (
          <>
            <label>
              {t('case.reasons')}
              <textarea name="reasons" rows={2} required />
            </label>
            {error('reasons')}
          </>
        )}
        {open === 'revoke' && (
          <>
            <label>
              {t('approvals.reason')}
              <input name="reason" required />
            </label>
            {error('reason')}
          </>
        )}
        {open === 'record-publication' && (
          <>
            <label>
              {t('approvals.url')}
              <input name="url" type="url" required />
            </label>
            {error('url')}
            <label>
              {t('approvals.account')}
              <select name="officialAccountId" defaultValue={approval.request.officialAccountId}>
                {accounts.map((account) => (
                  <option key={account.accountId} value={account.accountId}>
                    {account.platform} @{account.handle}
                  </option>
                ))}
              </select>
            </label>
            {error('officialAccountId')}
            <label>
              {t('approvals.media')}
              <input
                type="file"
                onChange={(event) => {
                  const file = event.target.files?.[0];
                  void (file ? file.arrayBuffer().then(sha256Hex) : Promise.resolve('')).then(setMediaSha256);
                }}
              />
            </label>
            <output className="hash" data-testid="media-sha256">
              {mediaSha256 ? `SHA-256 ${mediaSha256}` : ''}
            </output>
            {error('mediaSha256')}
            <label>
              {t('approvals.publishedAt')}
              <input type="datetime-local" name="publishedAt" />
            </label>
            {error('publishedAt')}
          </>
        )}
      </ActionPanel>
      <section aria-labelledby="refused-heading">
        <h2 id="refused-heading">{t('approvals.refusedAttempts')}</h2>
        {refused.length === 0 ? (
          <p>{t('dashboard.none')}</p>
        ) : (
          <ul data-testid="refused-attempts">
            {refused.map((event) => (
              <li key={event.version}>
                <time dateTime={event.occurredAt}>{formatPakistanTime(event.occurredAt, language)}</time> <strong>{event.data.clause}</strong>{' '}
                {event.data.reason} <span className="actor">({event.actor.id})</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t('case.timeline')}</h2>
        <ol className="timeline">
          {approval.history.map((event) => (
            <li key={event.version}>
              <time dateTime={event.occurredAt}>{formatPakistanTime(event.occurredAt, language)}</time> <strong>{event.type}</strong>{' '}
              <span className="actor">({event.actor.id})</span>
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
