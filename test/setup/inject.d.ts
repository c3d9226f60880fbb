// What test/setup/local-server.ts provides to every test: `const tb = inject('tinybird')`.
declare module 'vitest' {
  export interface ProvidedContext {
    tinybird: {
      /** The local server's base URL (random port). */
      url: string;
      /** Its admin token: signs JWTs, reads everything. */
      adminToken: string;
      workspaceId: string;
      /** The demo token route (examples/demo-token-route.ts): `?user=<id>` pins user_id, `?ttl=<s>` sets the lifetime. */
      tokenUrl: string;
      /** Rows of the deterministic seed in `events` (before any test appends). */
      seedRows: number;
      /** Static tokens of the demo datafiles' TOKEN lines, by name. */
      tokens: Record<string, string>;
    };
  }
}

export {};
