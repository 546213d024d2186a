/**
 * Architecture rules (STYLE.md): services → libs → npm, never back; no
 * cycles; a package is imported by its name, never by a relative path into
 * another package; each client library has exactly one owning lib.
 * Run with `npm run lint`; scripts/check-workspace.mjs checks what this cannot
 * see: that @valuepulse/* imports are declared and referenced.
 */
const ownedClients = [
  { lib: 'kafka', modules: 'kafkajs' },
  { lib: 'codec', modules: '@kafkajs/confluent-schema-registry|avsc' },
  { lib: 'state', modules: 'ioredis' },
  { lib: 'clickhouse', modules: '@clickhouse/client(-common)?|chdb' },
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make packages impossible to reason about and to build in order.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'libs-not-to-services',
      severity: 'error',
      comment: 'Dependencies point one way: services → libs. A lib never imports a service.',
      from: { path: '^libs/' },
      to: { path: '^services/' },
    },
    {
      name: 'no-service-to-service',
      severity: 'error',
      comment: 'A service never imports another service; share code through a lib.',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-relative-cross-package',
      severity: 'error',
      comment: "Import another package by its name (@valuepulse/x), never by a relative path into its files.",
      from: { path: '^(libs|services)/([^/]+)/' },
      to: { dependencyTypes: ['local'], path: '^(libs|services)/', pathNot: '^$1/$2/' },
    },
    {
      name: 'no-reaching-into-src',
      severity: 'error',
      comment: "Use a package's public entry points (its package.json exports), not its src/ or dist/ files.",
      from: {},
      to: { path: '^(libs|services)/[^/]+/(src|dist)/', pathNot: '/(index|stack-endpoints|containers|embedded|analyst-scenario\\.fixture)\\.ts$', dependencyTypes: ['aliased-workspace', 'npm', 'aliased'] },
    },
    ...ownedClients.map(({ lib, modules }) => ({
      name: `only-${lib}-imports-${modules.split('|')[0].replace(/[^a-z]/g, '')}`,
      severity: 'error',
      comment: `Only libs/${lib} may import ${modules}: swapping that client then touches one package.`,
      from: { pathNot: `^libs/${lib}/` },
      to: { path: `node_modules/(${modules})/` },
    })),
    {
      name: 'declared-dependencies-only',
      severity: 'error',
      comment: "Every package a module imports must be in its package's package.json.",
      from: { path: '^(libs|services)/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // dist: built output; public: browser modules served by a service (they import by URL)
    exclude: { path: '(^|/)dist/|^services/[^/]+/public/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['valuepulse-source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
