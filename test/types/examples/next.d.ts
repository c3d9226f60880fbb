// Just enough of next's modules for the examples' code to type-check against the library's sources in `npm run
// typecheck`, where next is not installed (it is each example's own dependency). Next's own types check the same code
// in `npm run test:nextjs` and `npm run test:web-analytics`, whose `next build` type-checks the app.
declare module 'next/link' {
  import type { AnchorHTMLAttributes, ReactNode } from 'react';
  type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { href: string; children?: ReactNode };
  export default function Link(props: LinkProps): ReactNode;
}

declare module 'next/navigation' {
  export function redirect(url: string): never;
  export function useSearchParams(): URLSearchParams;
}

declare module 'next/headers' {
  interface CookieOptions {
    httpOnly?: boolean;
    sameSite?: 'lax' | 'strict' | 'none';
    path?: string;
    maxAge?: number;
    secure?: boolean;
  }
  interface Cookies {
    get(name: string): { name: string; value: string } | undefined;
    set(name: string, value: string, options?: CookieOptions): void;
    delete(name: string): void;
  }
  export function cookies(): Promise<Cookies>;
}
