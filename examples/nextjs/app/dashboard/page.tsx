// app/dashboard/page.tsx (a server component)
import { getSessionUser } from '@/lib/session';
import { Dashboard } from './dashboard';

export default async function Page() {
  const user = await getSessionUser();
  // A new user gets a new provider (token options are read at mount), so a new token for their rows.
  return <Dashboard key={user ?? 'signed-out'} />;
}
