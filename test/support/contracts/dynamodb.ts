import { afterAll, beforeAll } from 'vitest';
import {
  dynamoDbProfileStores,
  dynamoDbProgramStore,
  dynamoDbRepository,
} from '../../../functions/adapters/dynamodb/repository.js';
import type { CampaignRepository, EventStore, ProfileStore, ProgramStore } from '../../../functions/core/ports/index.js';
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

/** The profile and event stores on this file's DynamoDB Local (started and stopped like the stores above). */
export function useDynamoDbLocalProfileStores(): () => ProfileStore & EventStore {
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
    const { profiles, events } = dynamoDbProfileStores(ddb.client, TABLE);
    return {
      getProfile: (id) => profiles.getProfile(id),
      putProfile: (profile) => profiles.putProfile(profile),
      listProfiles: (cursor, limit) => profiles.listProfiles(cursor, limit),
      deleteProfile: (id) => profiles.deleteProfile(id),
      recordEvent: (event, at) => events.recordEvent(event, at),
      markEventApplied: (id, at) => events.markEventApplied(id, at),
      listEvents: (id) => events.listEvents(id),
      deleteEventsOf: (id) => events.deleteEventsOf(id),
    };
  };
}

/** The program store on this file's DynamoDB Local (started and stopped like the stores above). */
export function useDynamoDbLocalProgramStore(): () => ProgramStore {
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
    return dynamoDbProgramStore(ddb.client, TABLE);
  };
}
