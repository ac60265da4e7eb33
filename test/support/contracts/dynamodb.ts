import { afterAll, beforeAll } from 'vitest';
import { dynamoDbRepository } from '../../../functions/adapters/dynamodb/repository.js';
import type { CampaignRepository } from '../../../functions/core/ports/index.js';
import { createTable, type DynamoDbLocal, startDynamoDbLocal } from '../../../local/dynamodb-local.js';

const TABLE = 'revisit';

/**
 * Starts DynamoDB Local with the table for this test file and stops it after: the one place the contract
 * tests start it (a shared globalSetup can take its place). Returns the stores on it, fresh each call.
 */
export function useDynamoDbLocalStores(): () => CampaignRepository {
  let ddb: DynamoDbLocal | undefined;
  beforeAll(async () => {
    ddb = await startDynamoDbLocal();
    await createTable(ddb.client, TABLE);
  });
  afterAll(async () => {
    await ddb?.stop();
  });
  return () => {
    if (!ddb) throw new Error('DynamoDB Local has not started');
    return dynamoDbRepository(ddb.client, TABLE);
  };
}
