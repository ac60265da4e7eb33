import { dynamoDbClient } from '../adapters/clients.js';
import { DynamoDbCampaignRepository } from '../adapters/dynamodb-repository.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildListCustomersHandler } from './handler.js';

const env = parseEnv(baseEnvSchema);
export const handler = buildListCustomersHandler({ repo: new DynamoDbCampaignRepository(dynamoDbClient(), env.TABLE_NAME) });
