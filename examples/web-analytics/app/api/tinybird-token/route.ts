// app/api/tinybird-token/route.ts: the browser's short-lived JWT, signed next to your session check
import { createTokenHandler } from 'react-tinybird/server';
import { baseUrl, getTenant, grantFor, signingKey } from '@/lib/tinybird';

const handler = createTokenHandler({
  signingKey,
  baseUrl,
  authorize: async () => grantFor(await getTenant()),
});
export { handler as GET, handler as POST };
