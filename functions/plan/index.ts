import { dynamoDbClient, REPOSITORY_CACHE, systemClock } from '../adapters/clients.js';
import { DynamoDbCampaignRepository } from '../adapters/dynamodb-repository.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildPlanHandler } from './handler.js';

const env = parseEnv(baseEnvSchema);
export const handler = buildPlanHandler({
  repo: new DynamoDbCampaignRepository(dynamoDbClient(), env.TABLE_NAME, REPOSITORY_CACHE),
  clock: systemClock,
});
