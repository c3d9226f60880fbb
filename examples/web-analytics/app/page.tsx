// app/page.tsx (a server component): signs the viewer's token and fetches the URL's view, so the first HTML shows it
import { createTinybirdJWT } from 'react-tinybird/server';
import { firstView, frozenNow } from '@/lib/first-view';
import { baseUrl, getTenant, grantFor, signingKey } from '@/lib/tinybird';
import { Dashboard } from './dashboard';

type SearchParams = Record<string, string | string[] | undefined>;

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const search = await searchParams;
  const tab = search.tab === 'vitals' ? 'vitals' : 'analytics';
  // Signed per request (the tenant may differ per viewer): the browser starts with it and asks for no token at first.
  const token = await createTinybirdJWT({ signingKey, ...grantFor(await getTenant()) });
  const { rows, initialNow } = await firstView(token, baseUrl, search, tab);
  return (
    <Dashboard
      token={token}
      baseUrl={baseUrl}
      searchParams={search}
      tab={tab}
      rows={rows}
      initialNow={initialNow}
      now={frozenNow()}
    />
  );
}
