import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, rememberSession, SessionInfo } from './api';
import { Console, ConsoleContext, Link } from './context';
import type { Language } from './lib/format';
import { directionOf, translate } from './lib/i18n';
import { pagesFor, Viewer } from './lib/permissions';
import { ApprovalPage } from './pages/approval-page';
import { ApprovalsInbox } from './pages/approvals-inbox';
import { CasePage } from './pages/case-page';
import { OfficialAccounts } from './pages/official-accounts';
import { CasesInbox } from './pages/cases-inbox';
import { Dashboard } from './pages/dashboard';
import { ReportViolation } from './pages/report-violation';
import { SignIn } from './pages/sign-in';

const LANGUAGE_KEY = 'conduct.language';

function usePath(): [string, (path: string) => void] {
  const [path, setPath] = useState(() => window.location.pathname + window.location.search);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname + window.location.search);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((next: string) => {
    window.history.pushState(null, '', next);
    setPath(next);
    window.scrollTo(0, 0);
  }, []);
  return [path, navigate];
}

export function App() {
  const [session, setSession] = useState<SessionInfo | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  // Only the language is kept in the browser's storage; the session lives in an httpOnly cookie.
  const [language, setLanguage] = useState<Language>(() => (localStorage.getItem(LANGUAGE_KEY) === 'ur' ? 'ur' : 'en'));
  const [path, navigate] = usePath();

  const signedOut = useCallback(() => {
    setEnded(true);
    setSession((current) => ({ signedIn: false, signIn: current?.signIn ?? 'local' }));
  }, []);
  const adopt = useCallback(
    (next: SessionInfo) => {
      rememberSession(next, signedOut);
      setSession(next);
      if (next.signedIn) setEnded(false);
    },
    [signedOut],
  );
  useEffect(() => {
    api<SessionInfo>('/bff/session').then(({ body }) => adopt(body), signedOut);
  }, [adopt, signedOut]);
  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = directionOf(language);
    localStorage.setItem(LANGUAGE_KEY, language);
  }, [language]);

  const viewer: Viewer | undefined = useMemo(
    () =>
      session?.signedIn ? { subject: session.subject ?? '', roles: session.roles ?? [], serviceNumber: session.serviceNumber ?? null } : undefined,
    [session],
  );
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate(language, key, values);
  const toggleLanguage = (
    <button type="button" className="link-button" onClick={() => setLanguage(language === 'en' ? 'ur' : 'en')} lang={language === 'en' ? 'ur' : 'en'}>
      {t('app.language')}
    </button>
  );

  if (!session) return <p className="loading">{t('common.loading')}</p>;
  if (!session.signedIn || !viewer) {
    return (
      <div className="shell">
        <header className="top">
          <span className="brand">{t('app.title')}</span>
          {toggleLanguage}
        </header>
        <main>
          <SignIn language={language} mode={session.signIn} ended={ended} onSignedIn={adopt} />
        </main>
      </div>
    );
  }

  const context: ConsoleContext = { session, viewer, language, navigate };
  const pages = pagesFor(viewer);
  const signOut = async () => {
    await api('/bff/sign-out', { method: 'POST' }).catch(() => undefined);
    setEnded(false);
    setSession({ signedIn: false, signIn: session.signIn });
    navigate('/');
  };
  return (
    <Console.Provider value={context}>
      <div className="shell">
        <header className="top">
          <span className="brand">{t('app.title')}</span>
          <nav aria-label="Main">
            {pages.includes('cases') && <Link to="/cases">{t('nav.cases')}</Link>}
            {pages.includes('report') && <Link to="/cases/new">{t('nav.report')}</Link>}
            {pages.includes('approvals') && <Link to="/approvals">{t('nav.approvals')}</Link>}
            {pages.includes('accounts') && <Link to="/accounts">{t('nav.accounts')}</Link>}
            {pages.includes('dashboard') && <Link to="/dashboard">{t('nav.dashboard')}</Link>}
          </nav>
          <span className="who">{t('app.signedInAs', { who: session.subject ?? '' })}</span>
          {toggleLanguage}
          <button type="button" className="link-button" onClick={() => void signOut()}>
            {t('app.signOut')}
          </button>
        </header>
        <main>{route(path, pages)}</main>
      </div>
    </Console.Provider>
  );
}

function route(path: string, pages: ReturnType<typeof pagesFor>) {
  const pathname = path.split('?')[0] ?? '/';
  if (pathname === '/cases/new' && pages.includes('report')) return <ReportViolation />;
  const caseMatch = /^\/cases\/([0-9a-f-]{36})$/.exec(pathname);
  if (caseMatch) return <CasePage caseId={caseMatch[1]!} />;
  if (pathname === '/dashboard' && pages.includes('dashboard')) return <Dashboard />;
  const approvalMatch = /^\/approvals\/([0-9a-f-]{36})$/.exec(pathname);
  if (approvalMatch && pages.includes('approvals')) return <ApprovalPage approvalId={approvalMatch[1]!} />;
  if (pathname === '/approvals' && pages.includes('approvals')) return <ApprovalsInbox />;
  if (pathname === '/accounts' && pages.includes('accounts')) return <OfficialAccounts />;
  if (pages.includes('cases')) return <CasesInbox />;
  if (pages.includes('dashboard')) return <Dashboard />;
  if (pages.includes('approvals')) return <ApprovalsInbox />;
  return <p>No page of the console is open to your role yet.</p>;
}
