/**
 * Layers of Studio Print, checked by `npm run lint:layers` (CI runs it with the tests).
 * domain: pure rules, imports only domain. templates: layout and compilers, no I/O layers.
 * drivers and store: never app or server. Nothing in src imports hw-sim except the demo wiring.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing of ours but src/domain.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^(src/(?!domain/)|hw-sim/)' },
    },
    {
      name: 'templates-no-io-layers',
      comment: 'src/templates (layout, compilers) imports no store, drivers, app or server.',
      severity: 'error',
      from: { path: '^src/templates/' },
      to: { path: '^src/(store|drivers|app|server|cli)/' },
    },
    {
      name: 'drivers-below-app',
      comment: 'Drivers never import the app, the server, the store or the templates.',
      severity: 'error',
      from: { path: '^src/drivers/' },
      to: { path: '^src/(app|server|store|cli|templates)/' },
    },
    {
      name: 'store-below-app',
      comment: 'The store never imports the app, the server or the drivers.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(app|server|cli|drivers)/' },
    },
    {
      name: 'app-not-server',
      comment: 'App services never import HTTP routes or the web pages.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'no-hw-sim-in-production',
      comment: 'Production code does not import the simulators; the demo wiring (src/compose/demo-wiring.ts) is the one edge that may.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/compose/demo-wiring\\.ts$' },
      to: { path: '^hw-sim/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|test|bench)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
}
