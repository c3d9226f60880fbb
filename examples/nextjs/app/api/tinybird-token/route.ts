// app/api/tinybird-token/route.ts: runs on your server, next to your session check
import { createTokenHandler } from 'react-tinybird/server';
import { getSessionUser } from '@/lib/session';
import { baseUrl, grantFor, signingKey } from '@/lib/tinybird';

const handler = createTokenHandler({
  signingKey, // never sent to the browser
  baseUrl,
  async authorize() {
    const user = await getSessionUser(); // your auth
    return user ? grantFor(user) : null; // null -> 401, which the browser reports as UNAUTHENTICATED
  },
});
export { handler as GET, handler as POST };
