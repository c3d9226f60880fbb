import Link from 'next/link';
import type { ReactNode } from 'react';
import { getSessionUser } from '@/lib/session';
import { Providers } from './providers';
import { UserSwitcher } from './user-switcher';
import './globals.css';

export const metadata = { title: 'react-tinybird on Next.js' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  return (
    <html lang="en">
      <body>
        <header>
          <nav>
            <Link href="/">Home</Link>
            <Link href="/dashboard">Dashboard</Link>
            <Link href="/server-rendered">Server-rendered</Link>
          </nav>
          {user && <UserSwitcher user={user} />}
        </header>
        <main>
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
