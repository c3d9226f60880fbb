// The layers of the house, checked on every `npm run lint`: imports point down only and never go round in a circle.
//   core/errors.ts  <  core/internal/  <  core/  <  react/  <  charts/        (client code)
//   server/ and local/ are wings: client code never imports them; server/ never imports react/, charts/ or local/.
//   Inside local/: errors.ts, clickhouse-types.ts  <  template/  <  project/  <  engine/  <  http/  <  runtime.ts, dev/
//   <  server.ts, cli.ts, index.ts.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles, type-only imports included: a cycle means two modules are one layer pretending to be two.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'errors-at-the-bottom',
      severity: 'error',
      comment:
        'core/errors.ts is the bottom layer: everything may throw a TinybirdError, so it imports nothing of ours.',
      from: { path: '^src/core/errors\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'internal-is-a-leaf',
      severity: 'error',
      comment: 'core/internal/ holds framework-free helpers: it may use the errors below it, nothing above.',
      from: { path: '^src/core/internal/' },
      to: { path: '^src/', pathNot: '^src/core/(internal/|errors\\.ts$)' },
    },
    {
      name: 'core-is-framework-free',
      severity: 'error',
      comment: 'core/ knows neither React nor the charts nor the wings.',
      from: { path: '^src/core/' },
      to: { path: '^src/(react|charts|server|local)/|^src/index\\.ts$' },
    },
    {
      name: 'react-below-charts',
      severity: 'error',
      comment: 'react/ is the thin React skin over core/: it never reaches up to the charts or out to the wings.',
      from: { path: '^src/react/' },
      to: { path: '^src/(charts|server|local)/' },
    },
    {
      name: 'charts-stay-client',
      severity: 'error',
      comment: 'charts/ is client code: it never imports the server or local wings.',
      from: { path: '^src/charts/' },
      to: { path: '^src/(server|local)/' },
    },
    {
      name: 'client-entry-stays-client',
      severity: 'error',
      comment: 'The client entry re-exports core/ and react/ only: jose signing and chDB never reach a browser bundle.',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/(charts|server|local)/' },
    },
    {
      name: 'server-wing',
      severity: 'error',
      comment: 'server/ runs in Node and edge runtimes without React: it never imports react/, charts/ or local/.',
      from: { path: '^src/server/', pathNot: '^src/server/(grant-scope|query-options)\\.ts$' },
      to: { path: '^src/(react|charts|local)/|^src/index\\.ts$' },
    },
    {
      name: 'local-leaves',
      severity: 'error',
      comment:
        'local/errors.ts and local/clickhouse-types.ts are the bottom of the local server: they import none of it.',
      from: { path: '^src/local/(errors|clickhouse-types)\\.ts$' },
      to: { path: '^src/local/' },
    },
    {
      name: 'local-template-is-pure',
      severity: 'error',
      comment: "template/ is Tinybird's template language alone: it knows no project, engine or server.",
      from: { path: '^src/local/template/' },
      to: { path: '^src/local/', pathNot: '^src/local/(template/|errors\\.ts$|clickhouse-types\\.ts$)' },
    },
    {
      name: 'local-project-below-engine',
      severity: 'error',
      comment:
        'project/ reads datafiles into a snapshot: it never reaches the engine (chDB), the routes or the runtime.',
      from: { path: '^src/local/project/' },
      to: { path: '^src/local/', pathNot: '^src/local/(project/|template/|errors\\.ts$|clickhouse-types\\.ts$)' },
    },
    {
      name: 'local-engine-below-http',
      severity: 'error',
      comment: 'engine/ serves a snapshot on chDB: it knows no HTTP routes, runtime or dev tools.',
      from: { path: '^src/local/engine/' },
      to: {
        path: '^src/local/',
        pathNot: '^src/local/(engine/|project/|template/|errors\\.ts$|clickhouse-types\\.ts$)',
      },
    },
    {
      name: 'local-http-below-runtime',
      severity: 'error',
      comment: 'http/ holds the routes over one engine and snapshot: the runtime builds it, never the other way round.',
      from: { path: '^src/local/http/' },
      to: { path: '^src/local/(runtime|workspaces|server|cli|index)\\.ts$|^src/local/dev/' },
    },
    {
      name: 'local-dev-beside-runtime',
      severity: 'error',
      comment: 'dev/ (seed, cron runs, watching) works on the engine and project; the server wires it to the runtime.',
      from: { path: '^src/local/dev/' },
      to: { path: '^src/local/(runtime|workspaces|server|cli|index)\\.ts$|^src/local/http/' },
    },
    {
      name: 'local-runtime-below-entries',
      severity: 'error',
      comment: 'runtime.ts builds and swaps {snapshot, auth, app}; the server, the CLI and the entry sit above it.',
      from: { path: '^src/local/runtime\\.ts$' },
      to: { path: '^src/local/(workspaces|server|cli|index)\\.ts$|^src/local/dev/' },
    },
    {
      name: 'server-reads-register-types-only',
      severity: 'error',
      comment:
        "server/grant-scope.ts and query-options.ts read the generated types' Register through the client entry, types only: both entries then share one interface, and nothing of the client runs on the server.",
      from: { path: '^src/server/(grant-scope|query-options)\\.ts$' },
      to: { path: '^src/(react|charts|local)/|^src/index\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|storybook-static|coverage)/' },
    // Type-only imports count: a cycle through `import type` is still a cycle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
