import { useContext, useEffect, useInsertionEffect, useMemo, useRef, useState } from 'react';
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
  // The latest getToken, stored once a render commits (a render React throws away must not replace it), before any
  // effect of the tree can ask for a token; insertion effects run first, and never on the server.
  const latestGetToken = useRef(getToken);
  useInsertionEffect(() => {
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

  // An owned client is disposed with the provider. StrictMode's simulated unmount disposes it too; the remount
  // re-subscribes below (healing subscribes to the token source), which re-arms its refresh timer.
  useEffect(() => () => owned?.dispose(), [owned]);

  // Mounted whoever made it (react-query counts mounts): a QueryClient passed as a prop, with no QueryClientProvider
  // around, would otherwise never see the page go offline or come back, nor a tab being shown.
  useEffect(() => {
    queryClient.mount();
    const stop = healFailedQueries(client, queryClient);
    return () => {
      stop();
      queryClient.unmount();
    };
  }, [client, queryClient]);

  const value = useMemo(() => ({ client, queryClient }), [client, queryClient]);
  return <TinybirdContext.Provider value={value}>{children}</TinybirdContext.Provider>;
}
