import { dynamoDbClient, REPOSITORY_CACHE, systemClock } from '../adapters/clients.js';
import { dynamoDbProfileStores, dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildEvaluateHandler } from './handler.js';

const env = parseEnv(baseEnvSchema);
export const handler = buildEvaluateHandler({
  repo: dynamoDbRepository(dynamoDbClient(), env.TABLE_NAME, REPOSITORY_CACHE),
  clock: systemClock,
  profiles: dynamoDbProfileStores(dynamoDbClient(), env.TABLE_NAME).profiles,
});
