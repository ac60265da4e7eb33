import { dynamoDbClient, REPOSITORY_CACHE, systemClock } from '../adapters/clients.js';
import { dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildPlanHandler } from './handler.js';

const env = parseEnv(baseEnvSchema);
export const handler = buildPlanHandler({
  repo: dynamoDbRepository(dynamoDbClient(), env.TABLE_NAME, REPOSITORY_CACHE),
  clock: systemClock,
});
