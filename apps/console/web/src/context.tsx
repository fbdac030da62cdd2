import { createContext, useContext } from 'react';
import type { SessionInfo } from './api';
import type { Language } from './lib/format';
import { MessageKey, translate } from './lib/i18n';
import type { Viewer } from './lib/permissions';

export interface ConsoleContext {
  session: SessionInfo;
  viewer: Viewer;
  language: Language;
  navigate: (path: string) => void;
}

export const Console = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext & { t: (key: MessageKey, values?: Record<string, string | number>) => string } {
  const context = useContext(Console);
  if (!context) throw new Error('useConsole outside <Console.Provider>');
  return { ...context, t: (key, values) => translate(context.language, key, values) };
}

/** A link inside the single-page app: changes the page without a reload. */
export function Link({ to, children, className }: { to: string; children: React.ReactNode; className?: string }) {
  const { navigate } = useConsole();
  return (
    <a
      href={to}
      className={className}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
