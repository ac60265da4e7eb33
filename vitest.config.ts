import { defineConfig } from 'vitest/config';

/** One vitest project per layer (STYLE.md, "Tests in layers"). */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { name: 'handlers', include: ['test/handlers/**/*.test.ts'] } },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'workflows',
          include: ['test/workflows/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // DynamoDB Local is a JVM per file: two at a time fit a 2-core machine; they run after the fast layers.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 120_000,
          // Each trial runs the CLI (node and DynamoDB Local's JVM): two trials at a time on two cores.
          maxConcurrency: 2,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
