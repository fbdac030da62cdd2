import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { useConsole } from '../context';
import { textField } from '../lib/forms';
import { runsOfficialAccounts } from '../lib/permissions';
import { FormErrors, formErrors } from '../lib/problems';
import type { UnitPlacement } from '../lib/report-query';

interface Account {
  accountId: string;
  platform: string;
  handle: string;
  operatedBy: string;
  jurisdiction: { district: string | null; unitId: string };
  mediaTeam: { name: string };
  status: string;
  statusReason: string | null;
  version: number;
}

const FIELDS = ['platform', 'handle', 'kind', 'operatedBy', 'jurisdiction', 'mediaTeam.name', 'mediaTeam.unitId', 'reason'];

/** Official accounts (SND-5): the only ones content may go out through; registered, suspended and reinstated here. */
export function OfficialAccounts() {
  const { t, viewer } = useConsole();
  const [accounts, setAccounts] = useState<Account[] | undefined>();
  const [units, setUnits] = useState<UnitPlacement[]>([]);
  const [registering, setRegistering] = useState(false);
  const [changing, setChanging] = useState<string | undefined>();
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const runs = runsOfficialAccounts(viewer);

  const load = useCallback(() => {
    api<{ items: Account[] }>('/api/approval/official-accounts?pageSize=100').then(
      ({ body }) => setAccounts(body.items),
      (failure: ApiError) => setErrors({ fields: {}, general: failure.message }),
    );
  }, []);
  useEffect(() => {
    load();
    api<{ items: UnitPlacement[] }>('/api/approval/units').then(
      ({ body }) => setUnits(body.items),
      () => setUnits([]),
    );
  }, [load]);

  const register = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const unit = units.find((candidate) => candidate.unitId === textField(form, 'unitId'));
    const body = {
      platform: textField(form, 'platform'),
      handle: textField(form, 'handle'),
      kind: textField(form, 'kind'),
      operatedBy: textField(form, 'operatedBy'),
      jurisdiction: unit
        ? { province: unit.province, range: unit.range ?? undefined, district: unit.district ?? undefined, unitId: unit.unitId }
        : undefined,
      mediaTeam: { name: textField(form, 'teamName'), unitId: textField(form, 'teamUnitId') },
    };
    try {
      await api('/api/approval/official-accounts', { method: 'POST', body });
      setRegistering(false);
      setErrors({ fields: {} });
      // The list follows the command a moment later (a read model fed from Kafka).
      setTimeout(load, 1_000);
    } catch (failure) {
      setErrors(failure instanceof ApiError ? formErrors(failure.problem, FIELDS) : { fields: {}, general: String(failure) });
    }
  };

  const change = async (account: Account, event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const action = account.status === 'active' ? 'suspend' : 'reinstate';
    const reason = textField(new FormData(event.currentTarget), 'reason');
    try {
      const { body } = await api<{ status: string; version: number }>(`/api/approval/official-accounts/${account.accountId}/${action}`, {
        method: 'POST',
        body: { reason },
        ifMatch: `"${account.version}"`,
      });
      setChanging(undefined);
      setErrors({ fields: {} });
      // The list is a read model a moment behind the command: show what the command answered.
      setAccounts((current) =>
        current?.map((candidate) =>
          candidate.accountId === account.accountId ? { ...candidate, status: body.status, version: body.version, statusReason: reason } : candidate,
        ),
      );
    } catch (failure) {
      setErrors(failure instanceof ApiError ? formErrors(failure.problem, FIELDS) : { fields: {}, general: String(failure) });
    }
  };
  const error = (field: string) => errors.fields[field] && <span className="field-error">{errors.fields[field]}</span>;

  return (
    <section>
      <h1>{t('accounts.title')}</h1>
      {errors.general && (
        <p role="alert" className="error">
          {errors.general}
        </p>
      )}
      {runs && (
        <button type="button" aria-expanded={registering} onClick={() => setRegistering(!registering)}>
          {t('accounts.register')}
        </button>
      )}
      {registering && (
        <form className="action-form" aria-label={t('accounts.register')} onSubmit={(event) => void register(event)} noValidate>
          <label>
            {t('report.platform')}
            <input name="platform" defaultValue="facebook" />
          </label>
          {error('platform')}
          <label>
            {t('accounts.handle')}
            <input name="handle" />
          </label>
          {error('handle')}
          <label>
            {t('accounts.kind')}
            <select name="kind" defaultValue="institutional">
              <option>institutional</option>
              <option>personal</option>
            </select>
          </label>
          {error('kind')}
          <label>
            {t('accounts.operatedBy')}
            <select name="operatedBy" defaultValue="SSP">
              <option>DIG</option>
              <option>SSP</option>
              <option>UNIT_HEAD</option>
            </select>
          </label>
          <label>
            {t('report.unit')}
            <select name="unitId" defaultValue="">
              <option value="">–</option>
              {units.map((unit) => (
                <option key={unit.unitId} value={unit.unitId}>
                  {unit.unitId} ({unit.district ?? unit.province})
                </option>
              ))}
            </select>
          </label>
          {error('jurisdiction')}
          <label>
            {t('accounts.team')}
            <input name="teamName" />
          </label>
          {error('mediaTeam.name')}
          <label>
            {t('accounts.teamUnit')}
            <input name="teamUnitId" />
          </label>
          {error('mediaTeam.unitId')}
          <button type="submit">{t('common.save')}</button>
        </form>
      )}
      {!accounts ? (
        <p>{t('common.loading')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('accounts.handle')}</th>
              <th scope="col">{t('accounts.team')}</th>
              <th scope="col">{t('cases.place')}</th>
              <th scope="col">{t('cases.status')}</th>
              {runs && <th scope="col">{t('case.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => (
              <tr key={account.accountId} data-testid={`account-${account.handle}`}>
                <td>
                  {account.platform} @{account.handle}
                </td>
                <td>
                  {account.mediaTeam.name} ({account.operatedBy})
                </td>
                <td>{[account.jurisdiction.district, account.jurisdiction.unitId].filter(Boolean).join(' / ')}</td>
                <td>
                  {account.status}
                  {account.statusReason ? ` — ${account.statusReason}` : ''}
                </td>
                {runs && (
                  <td>
                    {changing === account.accountId ? (
                      <form
                        onSubmit={(event) => void change(account, event)}
                        aria-label={t(account.status === 'active' ? 'accounts.suspend' : 'accounts.reinstate')}
                      >
                        <label>
                          {t('approvals.reason')}
                          <input name="reason" required />
                        </label>
                        {error('reason')}
                        <button type="submit">{t(account.status === 'active' ? 'accounts.suspend' : 'accounts.reinstate')}</button>
                      </form>
                    ) : (
                      <button type="button" onClick={() => (setChanging(account.accountId), setErrors({ fields: {} }))}>
                        {t(account.status === 'active' ? 'accounts.suspend' : 'accounts.reinstate')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
