/**
 * The fetcher from Tinybird's "Consume APIs in a Next.js front end with JWTs" guide (useFetch.tsx), kept as written apart
 * from React: the token goes in the URL, a 403 triggers one new token and one retry, and each widget has its own token
 * state. As printed, the guide never calls setToken, so every fetch asks for a new token; `remembersToken` models the
 * evident intent (the widget keeps its token until a 403).
 */
export function createSeedGuideFetcher(
  generateJWT: () => Promise<string>,
  { remembersToken }: { remembersToken: boolean },
) {
  let token = '';
  const refreshToken = async () => generateJWT();
  const withToken = (url: string, t: string) => `${url}${url.includes('?') ? '&' : '?'}token=${t}`;

  return async (url: string): Promise<unknown> => {
    let currentToken = token;
    if (!currentToken) {
      currentToken = await refreshToken();
      if (remembersToken) token = currentToken;
    }
    const response = await fetch(withToken(url, currentToken));
    if (response.status === 200) return response.json();
    if (response.status === 403) {
      await response.body?.cancel();
      const newToken = await refreshToken();
      if (remembersToken) token = newToken;
      return fetch(withToken(url, newToken)).then((res) => res.json());
    }
    await response.body?.cancel();
    return undefined;
  };
}
