// app/providers.tsx: in the root layout, around every page
'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

/** One QueryClient for the whole app, shared by every page (and by TinybirdProvider, which uses the enclosing one). */
export function Providers({ children }: { children: ReactNode }) {
  // A staleTime, as TanStack advises for server rendering: rows prefetched on the server are not fetched again at once.
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } }));
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
