import { useEffect, useRef } from 'react';

/** What reporting-service's GET /live says: a case or approval moved on, or "read everything again". */
export type LiveChange = { kind: 'case' | 'approval'; id: string } | { kind: 'resync' };

/**
 * Calls `onChange` for each change in the person's scope, as reporting-service applies it
 * (Server-Sent Events through the backend-for-frontend, which adds the token). The browser's
 * EventSource reconnects by itself after a network failure; a refusal (a role that may not listen,
 * a session that ended) closes it for good, and the page's slow re-reading still keeps it current.
 */
export function useLiveChanges(onChange: (change: LiveChange) => void, enabled: boolean): void {
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/reporting/live');
    const onMessage = (event: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(event.data) as LiveChange);
      } catch {
        handler.current({ kind: 'resync' });
      }
    };
    const onResync = () => handler.current({ kind: 'resync' });
    source.addEventListener('change', onMessage);
    source.addEventListener('resync', onResync);
    return () => source.close();
  }, [enabled]);
}
