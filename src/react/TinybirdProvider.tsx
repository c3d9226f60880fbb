import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { QueryClient, QueryClientContext } from '@tanstack/react-query';
import { TinybirdClient } from '../core/client';
import type { TinybirdClientOptions } from '../core/client';
import { TinybirdContext } from './context';
import { healFailedQueries } from '../core/heal-failed-queries';

/**
 * Props of {@link TinybirdProvider}: where tokens come from, plus optional API and cache settings.
 *
 * @example
 * ```ts
 * const props: TinybirdProviderProps = { tokenUrl: '/api/tinybird-token', queryClient };
 * ```
 */
export interface TinybirdProviderProps extends Omit<TinybirdClientOptions, 'tokenSource'> {
  /** Use this QueryClient; else the one of an enclosing QueryClientProvider; else the provider makes its own. */
  queryClient?: QueryClient;
  /** Use a client you created with `createTinybirdClient` (the provider then does not dispose it). */
  client?: TinybirdClient;
  children?: ReactNode;
}

/** useLayoutEffect, which runs before any effect of the tree can ask for a token; useEffect where there is no DOM. */
const useCommitEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/**
 * Gives its subtree one token source and one Tinybird client: every hook below shares one token request and one refresh.
 * Token options are read once, at mount; to switch workspace or user, remount it with a `key`. `getToken` may be an
 * inline function: the latest one is always called.
 *
 * @example
 * ```tsx
 * <TinybirdProvider tokenUrl="/api/tinybird-token">
 *   <Dashboard />
 * </TinybirdProvider>
 * ```
 */
export function TinybirdProvider(props: TinybirdProviderProps): ReactNode {
  const { queryClient: queryClientProp, client: external, children, getToken, ...options } = props;
  // The latest getToken, stored once a render commits (a render React throws away must not replace it).
  const latestGetToken = useRef(getToken);
  useCommitEffect(() => {
    latestGetToken.current = getToken;
  });

  // Lazy and side-effect free: StrictMode may call this twice and throw one result away undisposed. The ref is read
  // when the client asks for a token (in an effect or later), never during this render.
  // eslint-disable-next-line react-hooks/refs
  const [owned] = useState(() =>
    external
      ? null
      : new TinybirdClient(getToken ? { ...options, getToken: () => latestGetToken.current!() } : options),
  );
  const client = external ?? owned!;

  const ambient = useContext(QueryClientContext);
  const [ownQueryClient] = useState(() => (queryClientProp || ambient ? null : new QueryClient()));
  const queryClient = queryClientProp ?? ambient ?? ownQueryClient!;

  // Mounted whoever made it (react-query counts mounts): a QueryClient passed as a prop, with no QueryClientProvider
  // around, would otherwise never see the page go offline or come back, nor a tab being shown.
  useEffect(() => {
    queryClient.mount();
    return () => queryClient.unmount();
  }, [queryClient]);

  useEffect(() => {
    if (!owned) return;
    // Subscribing (re)arms the refresh timer; StrictMode's simulated unmount disposed it and the remount lands here again.
    const stop = owned.tokens.subscribe(() => {});
    return () => {
      stop();
      owned.dispose();
    };
  }, [owned]);

  useEffect(() => healFailedQueries(client, queryClient), [client, queryClient]);

  const value = useMemo(() => ({ client, queryClient }), [client, queryClient]);
  return <TinybirdContext.Provider value={value}>{children}</TinybirdContext.Provider>;
}
