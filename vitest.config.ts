import { defineConfig } from 'vitest/config';

/** The projects that talk to DynamoDB Local: one for the whole run (test/global-setup.ts), a database per runtime. */
const DYNAMODB = {
  globalSetup: ['test/global-setup.ts'],
  setupFiles: ['test/support/shared-dynamodb.ts'],
};

/** A layer on the shared DynamoDB Local. */
function dynamoDbProject(name: string, include: string) {
  return {
    test: {
      name,
      include: [include],
      testTimeout: 180_000,
      hookTimeout: 120_000,
      ...DYNAMODB,
    },
  };
}

/**
 * One vitest project per layer, named for what it costs (shared/STYLE.md, "Tests in layers"): `npm run
 * test:unit` is `unit` alone (no I/O, seconds); `npm test` is every project but `faults`, the cheap
 * ones first; `npm run test:faults` is the fault trials (minutes: the CLI as child processes).
 * A project is the first folder under test/; below it the path mirrors the source under test (docs/testing.md).
 */
export default defineConfig({
  test: {
    // Two files at a time on this 2-core machine. One value for all the projects of a group: vitest refuses
    // projects of one group with different maxWorkers (it runs them one after another, in name order).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure modules: one module graph per worker rather than per file halves the time (most of it was
          // loading modules). The adapters' tests need isolation (aws-sdk-client-mock patches the clients).
          isolate: false,
        },
      },
      { test: { name: 'adapters', include: ['test/adapters/**/*.test.ts'] } },
      { test: { name: 'handlers', include: ['test/handlers/**/*.test.ts'], isolate: false } },
      { test: { name: 'fuzz', include: ['test/fuzz/**/*.test.ts'], testTimeout: 60_000 } },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, isolate: false } },
      dynamoDbProject('workflows', 'test/workflows/**/*.test.ts'),
      // Some e2e files run the CLI (node and a JVM of its own, for its data folder).
      dynamoDbProject('e2e', 'test/e2e/**/*.test.ts'),
      dynamoDbProject('browser', 'test/browser/**/*.test.ts'),
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          // Each trial runs the CLI (node and DynamoDB Local's JVM), part of the time starting a JVM or
          // waiting on one: three trials at a time keep two cores busy (measured: 338 s, against 400 s with two).
          maxConcurrency: 3,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
