import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { Link, useConsole } from '../context';
import { formatPakistanTime } from '../lib/format';
import { isOfficerOnly } from '../lib/permissions';

interface CaseSummary {
  caseId: string;
  officer: { serviceNumber: string; name: string | null; rank: string | null };
  jurisdiction: { province: string; district: string | null; unitId: string | null };
  status: string;
  stage: string;
  investigatorId: string | null;
  takedown: { status: string; dueAt: string; overdue: boolean } | null;
  reportedAt: string;
}

const STAGES = ['investigating', 'found', 'sanctioned', 'under-appeal', 'set-aside'] as const;
const PAGE_SIZE = 25;
type Filter = 'all' | 'mine' | 'overdue';

/** The cases in the person's area: all of them, theirs, or those with a takedown overdue; by stage. */
export function CasesInbox() {
  const { t, language, viewer } = useConsole();
  const ownCases = isOfficerOnly(viewer);
  const [filter, setFilter] = useState<Filter>('all');
  const [stage, setStage] = useState<string>('');
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{ items: CaseSummary[]; total: number } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    // An officer sees every case about themselves, closed ones too; staff start from the open ones.
    const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE), ...(ownCases ? {} : { status: 'open' }) });
    if (stage) query.set('stage', stage);
    if (filter === 'mine') query.set('investigator', viewer.subject);
    if (filter === 'overdue') query.set('overdue', 'true');
    let current = true;
    api<{ items: CaseSummary[]; total: number }>(`/api/violation/cases?${query}`).then(
      ({ body }) => current && (setResult(body), setError(undefined)),
      (failure: ApiError) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [filter, stage, page, viewer.subject, ownCases]);

  const pages = Math.max(1, Math.ceil((result?.total ?? 0) / PAGE_SIZE));
  return (
    <section>
      <h1>{t(ownCases ? 'cases.ownTitle' : 'cases.title')}</h1>
      <div className="toolbar" role="group" aria-label={t('cases.title')}>
        {(ownCases ? [] : (['all', 'mine', 'overdue'] as const)).map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={filter === option}
            onClick={() => {
              setFilter(option);
              setPage(1);
            }}
          >
            {t(`cases.filter.${option}`)}
          </button>
        ))}
        <label>
          {t('cases.stage')}{' '}
          <select value={stage} onChange={(event) => (setStage(event.target.value), setPage(1))}>
            <option value="">{t('cases.anyStage')}</option>
            {STAGES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {t('common.error', { detail: error })}
        </p>
      )}
      {!result ? (
        <p>{t('common.loading')}</p>
      ) : result.items.length === 0 ? (
        <p>{t('cases.none')}</p>
      ) : (
        <table className="cases">
          <thead>
            <tr>
              <th scope="col">{t('cases.officer')}</th>
              <th scope="col">{t('cases.place')}</th>
              <th scope="col">{t('cases.status')}</th>
              <th scope="col">{t('cases.takedown')}</th>
              <th scope="col">{t('cases.reported')}</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((item) => (
              <tr key={item.caseId}>
                <td>
                  <Link to={`/cases/${item.caseId}`}>
                    {item.officer.serviceNumber}
                    {item.officer.name ? ` · ${item.officer.name}` : ''}
                  </Link>
                </td>
                <td>{[item.jurisdiction.district, item.jurisdiction.unitId].filter(Boolean).join(' / ') || item.jurisdiction.province}</td>
                <td>
                  {item.status} · {item.stage}
                </td>
                <td className={item.takedown?.overdue ? 'overdue' : undefined}>
                  {item.takedown ? `${item.takedown.status}${item.takedown.overdue ? ' (overdue)' : ''}` : '–'}
                </td>
                <td>{formatPakistanTime(item.reportedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {t('cases.previous')}
        </button>
        <span>{t('cases.page', { page, pages })}</span>
        <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          {t('cases.next')}
        </button>
      </nav>
    </section>
  );
}
