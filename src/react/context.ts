import { createContext, useContext } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import type { TinybirdClient } from '../core/client';

export interface TinybirdContextValue {
  client: TinybirdClient;
  queryClient: QueryClient;
}

// Undefined by default so a missing provider is detected, not papered over with a client that cannot get tokens.
export const TinybirdContext = createContext<TinybirdContextValue | undefined>(undefined);

export function useTinybirdContext(hook: string): TinybirdContextValue {
  const value = useContext(TinybirdContext);
  if (!value) {
    throw new Error(`${hook} must be inside <TinybirdProvider>. Wrap your tree in one.`);
  }
  return value;
}
