import type { Decorator } from '@storybook/react-vite';
import { useState, type ReactNode } from 'react';
import { TinybirdProvider } from 'react-tinybird';
import { tokenUrl } from './tinybird';

/** A provider whose token never arrives: the chart stays in its loading skeleton. */
export const withPendingToken: Decorator = (Story) => (
  <TinybirdProvider getToken={() => new Promise<string>(() => {})}>
    <Story />
  </TinybirdProvider>
);

/** How many token requests the simulated outage swallows: one getToken() call's own bounded retries. */
export const OUTAGE_REQUESTS = 3;

function FlakyProvider({ children }: { children: ReactNode }): ReactNode {
  // Per mount, so each story run starts with a fresh outage.
  const [getToken] = useState(() => {
    let failures = 0;
    return async () => {
      if (failures++ < OUTAGE_REQUESTS) throw new Error('token service unavailable (simulated outage)');
      const res = await fetch(tokenUrl(), { cache: 'no-store' });
      if (!res.ok) throw new Error(`token route answered ${res.status}`);
      return (await res.json()) as { token: string; expiresAt: number; baseUrl: string };
    };
  });
  return <TinybirdProvider getToken={getToken}>{children}</TinybirdProvider>;
}

/** A token service that is down for the first requests and then recovers: the chart errors, Retry brings it back. */
export const withFlakyTokenService: Decorator = (Story) => (
  <FlakyProvider>
    <Story />
  </FlakyProvider>
);

/** Stories that bring their own provider. */
export const ownProvider = { tinybird: false } as const;
