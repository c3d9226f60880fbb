import { useSyncExternalStore } from 'react';
import type { TokenState } from '../core/token-source';
import { useTinybirdContext } from './context';

/**
 * The provider's token state plus a `refresh()` that forces a new token.
 *
 * @example
 * ```ts
 * const { token, status, refresh }: TinybirdTokenState = useTinybirdToken();
 * ```
 */
export interface TinybirdTokenState extends TokenState {
  refresh: () => Promise<string>;
}

/**
 * The current token and its lifecycle, re-rendering on change: `status` is 'loading' | 'ready' | 'error'.
 * `refresh()` gets a new token (and is how to recover from UNAUTHENTICATED after signing in).
 *
 * @example
 * ```tsx
 * function TokenBadge() {
 *   const { status, expiresAt, error, refresh } = useTinybirdToken();
 *   if (status === 'error') return <button onClick={() => refresh()}>Retry ({error?.code})</button>;
 *   return <span>{status === 'ready' ? `valid until ${new Date(expiresAt!).toLocaleTimeString()}` : '…'}</span>;
 * }
 * ```
 */
export function useTinybirdToken(): TinybirdTokenState {
  const { tokens } = useTinybirdContext('useTinybirdToken').client;
  // subscribe and getState are closures over the source (no `this`), stable for its lifetime.
  const state = useSyncExternalStore(tokens.subscribe, tokens.getState, tokens.getState);
  return { ...state, refresh: tokens.refresh };
}
