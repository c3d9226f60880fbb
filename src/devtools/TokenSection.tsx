import { useId } from 'react';
import type { ReactNode } from 'react';
import { useTinybirdToken } from 'react-tinybird';
import type { TinybirdError } from 'react-tinybird';
import { formatClaims, formatClock, formatCountdown } from './lib/format';
import { useNow } from './lib/useNow';

/** The last token error seen and when: kept after the token source clears it. */
export type LastError = { error: TinybirdError; at: number } | null;

/** The provider's token: status, countdowns, refreshes, the last error seen, and the claims. */
export function TokenSection({ last }: { last: LastError }): ReactNode {
  const heading = useId();
  const { status, claims, principal, expiresAt, refreshAt, refreshCount, refresh } = useTinybirdToken();
  const now = useNow();
  return (
    <section className="rtbd-section" aria-labelledby={heading}>
      <div className="rtbd-bar">
        <h2 className="rtbd-heading" id={heading}>
          Token
        </h2>
        <button type="button" className="rtbd-button" onClick={() => void refresh().catch(() => {})}>
          Refresh now
        </button>
      </div>
      <dl className="rtbd-facts">
        <dt>status</dt>
        <dd data-testid="rtbd-token-status">{status}</dd>
        <dt title="A fingerprint of what decides the rows the token can see (workspace, scopes, fixed_params, filter)">
          principal
        </dt>
        <dd data-testid="rtbd-principal">{principal ?? 'none'}</dd>
        <dt>expires in</dt>
        <dd data-testid="rtbd-expires-in">{formatCountdown(expiresAt, now)}</dd>
        <dt>next refresh</dt>
        <dd data-testid="rtbd-refresh-at">
          {refreshAt === null ? 'none scheduled' : `${formatClock(refreshAt)} (in ${formatCountdown(refreshAt, now)})`}
        </dd>
        <dt>refreshes</dt>
        <dd data-testid="rtbd-refresh-count">{refreshCount}</dd>
        <dt>last error</dt>
        <dd data-testid="rtbd-last-error" className={last ? 'rtbd-error' : undefined}>
          {last ? `${formatClock(last.at)} ${last.error.code}: ${last.error.message}` : 'none'}
        </dd>
      </dl>
      <pre className="rtbd-claims" tabIndex={0} aria-label="Token claims" data-testid="rtbd-claims">
        {formatClaims(claims)}
      </pre>
    </section>
  );
}
