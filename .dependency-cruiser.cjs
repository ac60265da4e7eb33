/**
 * The import rules of revisit's layers (shared/STYLE.md, "The style for this project"), checked by
 * `npm run check:imports` and by test/infra/imports.test.ts. The folders cruised are named once, in the
 * `check:imports` script (the test reads them from there): every folder of TypeScript the project ships or
 * runs; scripts/ holds only .mjs and .sh, and test/ is reached only through an import of it.
 *
 * Paths are matched relative to the repository root, as dependency-cruiser reports them.
 */

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes module load order matter (an import seen half-initialised) and ties its modules into one unit ' +
        'that cannot be tested or bundled apart; issue 15 broke the last ones (use-cases/plan.ts <-> tickets.ts, and ' +
        'cli/targets/target.ts <-> aws.ts/local.ts, ended by cli/targets/select.ts). Type-only imports count: they are the same coupling.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-outer-layer',
      severity: 'error',
      comment:
        'The domain is plain TypeScript that Lambda and the local engine share line for line: ports are passed in, so ' +
        'core never reaches for the adapters, the local engine, the CLI, the file formats or the CDK app.',
      from: { path: '^functions/core/' },
      to: { path: '^(functions/adapters|local|cli|files|infra)/' },
    },
    {
      name: 'core-imports-no-aws',
      severity: 'error',
      comment:
        'Core imports nothing of AWS (no SDK client, no middy, no Powertools, no CDK): what talks to AWS is an adapter ' +
        'behind a port, and core runs and is unit tested without any of it.',
      from: { path: '^functions/core/' },
      // Resolved (node_modules/...) or not installed (the bare specifier): either way it is an import of the package.
      to: {
        path: '(^|node_modules/)(@aws-sdk|@smithy|@aws-lambda-powertools|@middy|aws-cdk-lib|aws-cdk|constructs|aws-lambda)(/|$)',
      },
    },
    {
      name: 'adapters-import-no-use-case',
      severity: 'error',
      comment:
        'Adapters implement the ports the core owns and are wired into use cases by the entry files; an adapter calling ' +
        'a use case turns the dependency around and hides business steps inside a technology module.',
      from: { path: '^functions/adapters/' },
      to: { path: '^functions/core/use-cases/' },
    },
    {
      name: 'source-imports-no-test',
      severity: 'error',
      comment:
        'Tests depend on the code, never the other way: shipped and benchmarked code that imports test/ would bundle ' +
        'fakes and fixtures, and break whenever the test tree is reorganised.',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'local-imports-no-cli',
      severity: 'error',
      comment:
        'The local engine is a library the CLI drives (and the tests and the benchmark run directly); importing the CLI ' +
        'back would pull commander and the terminal output into every local run and make a cycle of layers.',
      from: { path: '^local/' },
      to: { path: '^cli/' },
    },
  ],
  options: {
    // Packages stay in the graph (the AWS rule needs them) but are not cruised into: their insides are not ours.
    // test/ is followed, so that an import of it from the source is seen wherever the test tree moves.
    doNotFollow: { path: '(^|/)node_modules/' },
    // Build output and local data: generated, never imported by the source.
    exclude: { path: '^(dist|cdk\\.out|out|\\.revisit|coverage)/' },
    // Type-only imports count too: a type import from an adapter still couples core to it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
