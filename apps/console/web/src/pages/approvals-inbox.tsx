import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { Link, useConsole } from '../context';
import { formatPakistanTime } from '../lib/format';
import { isOfficerOnly } from '../lib/permissions';

interface ApprovalSummary {
  approvalId: string;
  requesterId: string;
  jurisdiction: { district: string | null; unitId: string | null; province: string };
  platform: string;
  title: string;
  status: string;
  requestedAt: string;
  refusedPublications: number;
}

const FILTERS = ['pending', 'granted', 'published', 'all'] as const;
type Filter = (typeof FILTERS)[number];

/** Pre-approval requests in the person's area: an approver starts at what waits for a decision, a media team at what may go out. */
export function ApprovalsInbox() {
  const { t, language, viewer } = useConsole();
  const officerOnly = isOfficerOnly(viewer);
  const [filter, setFilter] = useState<Filter>(
    viewer.roles.includes('APPROVER') ? 'pending' : viewer.roles.includes('MEDIA_TEAM') ? 'granted' : 'all',
  );
  const [items, setItems] = useState<ApprovalSummary[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const query = new URLSearchParams({ pageSize: '50' });
    if (filter !== 'all') query.set('status', filter);
    if (officerOnly) query.set('requester', 'me');
    let current = true;
    api<{ items: ApprovalSummary[] }>(`/api/approval/approvals?${query}`).then(
      ({ body }) => current && (setItems(body.items), setError(undefined)),
      (failure: ApiError) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [filter, officerOnly]);

  return (
    <section>
      <h1>{t('approvals.title')}</h1>
      <div className="toolbar" role="group" aria-label={t('approvals.title')}>
        {FILTERS.map((option) => (
          <button key={option} type="button" aria-pressed={filter === option} onClick={() => setFilter(option)}>
            {t(`approvals.filter.${option}`)}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" className="error">
          {t('common.error', { detail: error })}
        </p>
      )}
      {!items ? (
        <p>{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('approvals.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('approvals.request')}</th>
              <th scope="col">{t('cases.place')}</th>
              <th scope="col">{t('cases.status')}</th>
              <th scope="col">{t('approvals.refused')}</th>
              <th scope="col">{t('approvals.requestedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.approvalId}>
                <td>
                  <Link to={`/approvals/${item.approvalId}`}>{item.title}</Link>{' '}
                  <span className="actor">
                    ({item.platform}, {item.requesterId})
                  </span>
                </td>
                <td>{[item.jurisdiction.district, item.jurisdiction.unitId].filter(Boolean).join(' / ') || item.jurisdiction.province}</td>
                <td>{item.status}</td>
                <td>{item.refusedPublications}</td>
                <td>{formatPakistanTime(item.requestedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
