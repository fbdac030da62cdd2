import { FormEvent, ReactNode } from 'react';
import { useConsole } from './context';

/**
 * The actions a person may take on a record (a case, a request): one button each, and the form of
 * the one opened, with its fields (children), the refusal that matched no field, Save and Cancel.
 */
export function ActionPanel<A extends string>({
  actions,
  open,
  onOpen,
  labelOf,
  onSubmit,
  general,
  children,
}: {
  actions: readonly A[];
  open: A | undefined;
  onOpen: (action: A | undefined) => void;
  labelOf: (action: A) => string;
  onSubmit: (action: A, event: FormEvent<HTMLFormElement>) => void;
  general?: string;
  children: ReactNode;
}) {
  const { t } = useConsole();
  if (actions.length === 0) return null;
  return (
    <section aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t('case.actions')}</h2>
      <div className="toolbar">
        {actions.map((action) => (
          <button key={action} type="button" aria-expanded={open === action} onClick={() => onOpen(open === action ? undefined : action)}>
            {labelOf(action)}
          </button>
        ))}
      </div>
      {open && (
        <form className="action-form" aria-label={labelOf(open)} onSubmit={(event) => onSubmit(open, event)} noValidate>
          {children}
          {general && (
            <p role="alert" className="error">
              {general}
            </p>
          )}
          <button type="submit">{t('common.save')}</button>
          <button type="button" onClick={() => onOpen(undefined)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
