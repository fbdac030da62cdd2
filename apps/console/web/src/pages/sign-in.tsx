import { useEffect, useState } from 'react';
import { api, SessionInfo } from '../api';
import type { Language } from '../lib/format';
import { translate } from '../lib/i18n';

interface Identity {
  id: string;
  label: string;
  roles: string[];
}

/**
 * Sign-in: at the force's identity provider (a link the backend-for-frontend turns into the OIDC
 * authorization request), or, in local runs, one button per demo identity.
 */
export function SignIn({
  language,
  mode,
  ended,
  onSignedIn,
}: {
  language: Language;
  mode: SessionInfo['signIn'];
  ended: boolean;
  onSignedIn: (session: SessionInfo) => void;
}) {
  const [identities, setIdentities] = useState<Identity[]>([]);
  // The callback sends the browser back here with what went wrong at the provider.
  const [error, setError] = useState<string | undefined>(() => new URLSearchParams(window.location.search).get('signInFailed') ?? undefined);
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string>) => translate(language, key, values);
  useEffect(() => {
    if (mode !== 'local') return;
    api<{ items: Identity[] }>('/bff/identities').then(
      ({ body }) => setIdentities(body.items),
      (failure: Error) => setError(failure.message),
    );
  }, [mode]);
  const signIn = async (identity: string) => {
    try {
      const { body } = await api<SessionInfo>('/bff/sign-in/local', { method: 'POST', body: { identity } });
      onSignedIn(body);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <section className="sign-in">
      <h1>{t('signIn.title')}</h1>
      {ended && <p role="status">{t('signIn.ended')}</p>}
      {mode === 'oidc' ? (
        <p>
          <a className="button" href="/bff/sign-in/oidc">
            {t('signIn.oidc')}
          </a>
        </p>
      ) : (
        <p>{t('signIn.local')}</p>
      )}
      {error && (
        <p role="alert" className="error">
          {t('common.error', { detail: error })}
        </p>
      )}
      <ul className="identities">
        {identities.map((identity) => (
          <li key={identity.id}>
            <button type="button" onClick={() => void signIn(identity.id)}>
              <strong>{identity.label}</strong>
              <span className="roles">{identity.roles.join(', ')}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
