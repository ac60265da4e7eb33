import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's DynamoDB Local (test/support/shared-dynamodb.ts opens a database of its own on it). */
    dynamoEndpoint: string;
  }
}

/**
 * One DynamoDB Local for the whole test run, whichever projects that need it run: each such project
 * names this file as its globalSetup, and vitest loads it once per project, so the JVM is kept on the
 * process (not the module) and stopped after the last project's teardown. It runs without -sharedDb:
 * a database per access key, so that every runtime of every file has tables of its own.
 */
interface Shared {
  started: Promise<DynamoDbLocal>;
  users: number;
}
const KEY = Symbol.for('revisit.test.dynamodb-local');
const holder = globalThis as unknown as Record<symbol, Shared | undefined>;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let shared = holder[KEY];
  if (!shared) {
    shared = { started: startDynamoDbLocal({ sharedDb: false }), users: 0 };
    holder[KEY] = shared;
  }
  shared.users++;
  const ddb = await shared.started;
  project.provide('dynamoEndpoint', ddb.endpoint);
  return async () => {
    const current = holder[KEY];
    if (!current || --current.users > 0) return;
    holder[KEY] = undefined;
    await (await current.started).stop();
  };
}
