import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { TinybirdProvider, useTinybirdToken } from 'react-tinybird';
import { Table } from 'react-tinybird/charts';
import { expect, waitFor, within } from 'storybook/test';
import { ownProvider } from './lib/states';
import { endpointRows, tokenUrl } from './lib/tinybird';

/** Demo users present in the seeded data (u_0 ... u_999). */
const USERS = ['u_1', 'u_2'] as const;

function PinnedUser(): ReactNode {
  const { claims } = useTinybirdToken();
  const scopes = (claims?.scopes ?? []) as { resource: string; fixed_params?: Record<string, unknown> }[];
  const pinned = scopes.find((s) => s.resource === 'user_bookings')?.fixed_params;
  return <code data-testid="fixed-params">fixed_params {JSON.stringify(pinned ?? {})}</code>;
}

/** What the app's session-aware token route answers for the signed-in user. */
async function signedInAs(user: string): Promise<{ token: string; baseUrl: string }> {
  const response = await fetch(tokenUrl({ user }), { cache: 'no-store' });
  if (!response.ok) throw new Error(`token route answered ${response.status}`);
  return (await response.json()) as { token: string; baseUrl: string };
}

function Tenant({ user }: { user: string }): ReactNode {
  return (
    // getToken, as an app calling its own session-aware route or server action would: no per-user URL to tell the
    // tenants apart, only the tokens themselves.
    <TinybirdProvider getToken={() => signedInAs(user)}>
      <section aria-label={`Tenant ${user}`} style={{ display: 'grid', gap: 8, minWidth: 0 }}>
        <PinnedUser />
        {/* The page asks for u_999; the token's fixed_params win, so each table still shows only its own user. */}
        <Table
          endpoint="user_bookings"
          params={{ user_id: 'u_999', limit: 10 }}
          columns={['timestamp', 'airline', 'origin', 'destination', 'price']}
          title={`Signed in as ${user}`}
          description="getToken: the signed-in user's token"
          height={300}
        />
      </section>
    </TinybirdProvider>
  );
}

/**
 * One QueryClient for both tenants, with a minute of staleTime, as most apps have: the same pipe and params are two
 * cache entries because each query key ends with its token's principal (whose rows the token can see).
 */
function SharedCache({ children }: { children: ReactNode }): ReactNode {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 60_000 } } }));
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

const meta = {
  title: 'Multi-tenant',
  parameters: ownProvider,
  render: () => (
    <SharedCache>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
        {USERS.map((u) => (
          <Tenant key={u} user={u} />
        ))}
      </div>
    </SharedCache>
  ),
} satisfies Meta;
export default meta;

/**
 * Two providers, two users' tokens, one QueryClient: each token pins `user_id` with fixed_params, so each table shows
 * only that user's bookings, even though the page asks for user u_999 and both ask for the same pipe and params.
 */
export const TwoUsersSideBySide: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    for (const user of USERS) {
      const expected = await endpointRows('user_bookings', { limit: 10 }, { user });
      expect(expected.length).toBeGreaterThan(0);
      const section = within(canvasElement).getByRole('region', { name: `Tenant ${user}` });
      await waitFor(
        () => expect(within(section).getByTestId('fixed-params')).toHaveTextContent(`"user_id":"${user}"`),
        { timeout: 8_000 },
      );
      await waitFor(() => expect(within(section).getAllByRole('row')).toHaveLength(expected.length + 1), {
        timeout: 8_000,
      });
      // The first row's price is this user's, not the other tenant's (which the shared cache would otherwise serve).
      const firstPrice = within(section).getAllByRole('row')[1]!.textContent;
      expect(firstPrice).toContain(expected[0]!.airline);
    }
    // And the two tenants' rows differ: neither sees the other's (or u_999's) bookings.
    const [a, b] = await Promise.all(USERS.map((user) => endpointRows('user_bookings', { limit: 10 }, { user })));
    const ids = new Set(a!.map((r) => r.booking_id));
    expect(b!.some((r) => ids.has(r.booking_id))).toBe(false);
  },
};
