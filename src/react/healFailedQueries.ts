import type { QueryClient } from '@tanstack/react-query';
import type { TinybirdClient } from '../core/client';
import { TinybirdError } from '../core/errors';
import { onPage } from '../core/internal/listeners';
import { principalOfKey } from './useTinybirdQuery';

/**
 * Refetches the client's failed queries that are on screen when what they lacked comes back: a token after the token
 * route failed (the token source keeps retrying it on its own, with a cooldown), the network (`online`), or the user
 * (the tab shown again). Without it a dashboard that does not poll stays on its error after a short outage until
 * someone clicks Retry. Only failures for want of a token or a network: any other one needs a change to heal.
 * Returns the function that stops listening.
 */
export function healFailedQueries(client: TinybirdClient, queryClient: QueryClient): () => void {
  const { tokens } = client;
  const heal = () =>
    void queryClient.refetchQueries(
      {
        type: 'active',
        predicate: ({ queryKey, state: { error } }) =>
          queryKey[0] === 'tinybird' &&
          queryKey[1] === client.cacheKey &&
          principalOfKey(queryKey) === tokens.getState().principal &&
          error instanceof TinybirdError &&
          (error.code === 'TOKEN_FETCH_FAILED' || error.code === 'NETWORK'),
      },
      // A query react-query already refetches (its own reconnect handling) is not started twice.
      { cancelRefetch: false },
    );
  const onVisible = () => document.visibilityState === 'visible' && heal();
  let lacked = tokens.getState().error !== null;
  const stop = tokens.subscribe(() => {
    const { error, token } = tokens.getState();
    if (lacked && !error && token) heal();
    lacked = error !== null;
  });
  onPage(true, onVisible, undefined, heal);
  return () => {
    stop();
    onPage(false, onVisible, undefined, heal);
  };
}
