import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { useTinybird, useTinybirdToken } from 'react-tinybird';
import type { TinybirdClient, TinybirdError } from 'react-tinybird';
import { CacheSection } from './CacheSection';
import { createRequestLog } from './createRequestLog';
import type { RequestLog } from './createRequestLog';
import { QueuesSection } from './QueuesSection';
import { RequestsSection } from './RequestsSection';
import { TokenSection } from './TokenSection';
import type { LastError } from './TokenSection';
import { styles } from './lib/styles';

/**
 * Props of {@link TinybirdDevtools}.
 *
 * @example
 * ```tsx
 * <TinybirdDevtools initialIsOpen theme="dark" datasources={['events']} />
 * ```
 */
export interface TinybirdDevtoolsProps {
  /** Render even when `process.env.NODE_ENV === 'production'` (e.g. behind a staff-only flag). */
  force?: boolean;
  /** Open the panel at mount. */
  initialIsOpen?: boolean;
  /** 'auto' (default) follows a `data-theme` / `.dark` ancestor, else the OS preference. */
  theme?: 'auto' | 'light' | 'dark';
  /** Data sources to list in the queue section before anything is sent to them. */
  datasources?: readonly string[];
  /** Requests kept in the log. Default 100. */
  limit?: number;
}

// One log per client, kept while the client lives: closing the panel or remounting the devtools keeps the history.
const logs = new WeakMap<TinybirdClient, { log: RequestLog; stop: () => void; users: number }>();

function useRequestLog(client: TinybirdClient, limit: number): RequestLog {
  const [log] = useState(() => logs.get(client)?.log ?? createRequestLog(limit));
  useEffect(() => {
    const held = logs.get(client) ?? { log, stop: client.onRequest(log.record), users: 0 };
    logs.set(client, held);
    held.users++;
    return () => {
      if (--held.users) return;
      held.stop();
      logs.delete(client);
    };
  }, [client, log]);
  return log;
}

/** A new error (with the time it was seen) replaces the last one; no error keeps it. */
const seen = (error: TinybirdError | null, last: LastError): LastError =>
  error && error !== last?.error ? { error, at: Date.now() } : last;

/**
 * The last token error, kept after the token source clears it (a later token arrives), from the devtools' mount on,
 * whether or not the panel is open.
 */
function useLastTokenError(client: TinybirdClient): LastError {
  const { tokens } = client;
  const [last, setLast] = useState(() => seen(tokens.getState().error, null));
  useEffect(() => tokens.subscribe(() => setLast((previous) => seen(tokens.getState().error, previous))), [tokens]);
  return last;
}

/** The panel itself: what TinybirdDevtools renders outside production, and TinybirdDevtoolsPanel always. */
export function Panel({
  initialIsOpen = false,
  theme = 'auto',
  datasources,
  limit = 100,
}: TinybirdDevtoolsProps): ReactNode {
  const client = useTinybird();
  const { status } = useTinybirdToken();
  const [open, setOpen] = useState(initialIsOpen);
  const log = useRequestLog(client, limit);
  const last = useLastTokenError(client);
  const failing = useSyncExternalStore(
    log.subscribe,
    () =>
      log
        .entries()
        .some((entry) => !entry.pending && entry.status !== null && (entry.status < 200 || entry.status >= 300)),
    () => false,
  );
  const panel = useId();
  return (
    <div className="rtbd-root" data-theme={theme}>
      <style>{styles}</style>
      <button
        type="button"
        className="rtbd-toggle"
        aria-expanded={open}
        aria-controls={panel}
        onClick={() => setOpen(!open)}
      >
        <span className="rtbd-dot" data-status={failing ? 'error' : status} aria-hidden="true" />
        {open ? 'Close Tinybird devtools' : 'Tinybird devtools'}
      </button>
      {open && (
        <div className="rtbd-panel" id={panel} role="region" aria-label="Tinybird devtools">
          <TokenSection last={last} />
          <RequestsSection log={log} />
          <QueuesSection log={log} datasources={datasources} />
          <CacheSection />
        </div>
      )}
    </div>
  );
}
