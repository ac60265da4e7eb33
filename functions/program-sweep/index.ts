import { dynamoDbClient, REPOSITORY_CACHE, systemClock } from '../adapters/clients.js';
import { dynamoDbProfileStores, dynamoDbProgramStore, dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildProgramSweepHandler } from './handler.js';

const env = parseEnv(baseEnvSchema);
const client = dynamoDbClient();
export const handler = buildProgramSweepHandler({
  repo: dynamoDbRepository(client, env.TABLE_NAME, REPOSITORY_CACHE),
  programs: dynamoDbProgramStore(client, env.TABLE_NAME),
  ...dynamoDbProfileStores(client, env.TABLE_NAME),
  clock: systemClock,
});
