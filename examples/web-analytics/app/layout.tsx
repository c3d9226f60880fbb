import type { ReactNode } from 'react';
import { chartStyles } from 'react-tinybird/charts';
import './globals.css';

export const metadata = { title: 'Web analytics on react-tinybird' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {/* The chart styles in the first HTML: the server-drawn charts are styled before any JavaScript runs. */}
        <style>{chartStyles}</style>
        <main>{children}</main>
      </body>
    </html>
  );
}
