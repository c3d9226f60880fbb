// app/server-rendered/page.tsx (a server component): the first HTML already holds this user's rows
import { HydrationBoundary, QueryClient, dehydrate } from '@tanstack/react-query';
import { redirect } from 'next/navigation';
import { createTinybirdClient, createTinybirdJWT, endpointQueryOptions } from 'react-tinybird/server';
import { MY_BOOKINGS, TOP_AIRLINES } from '@/lib/queries';
import { getSessionUser } from '@/lib/session';
import { baseUrl, grantFor, signingKey } from '@/lib/tinybird';
import { LiveBookings } from './live-bookings';

export default async function Page() {
  // Reading the session cookie makes this page render per request: the token is signed now, never at build time.
  const user = await getSessionUser();
  if (!user) redirect('/');
  const token = await createTinybirdJWT({ signingKey: signingKey ?? '', ...grantFor(user) });
  const client = createTinybirdClient({ token, baseUrl }); // the same baseUrl as the browser's: it is in the query key
  const queryClient = new QueryClient();
  await Promise.all([
    queryClient.prefetchQuery(endpointQueryOptions(client, 'top_airlines', TOP_AIRLINES)),
    queryClient.prefetchQuery(endpointQueryOptions(client, 'user_bookings', MY_BOOKINGS)),
  ]);
  client.dispose();
  return (
    // Under the app's QueryClientProvider (app/providers.tsx); the token goes along so the browser needs no round trip.
    <HydrationBoundary state={dehydrate(queryClient)}>
      <LiveBookings key={user} token={token} baseUrl={baseUrl} />
    </HydrationBoundary>
  );
}
