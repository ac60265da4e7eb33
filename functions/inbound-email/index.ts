import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoDbClient, REPOSITORY_CACHE, systemClock } from '../adapters/clients.js';
import { dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { SfnWorkflowCallback } from '../adapters/sfn-workflow-callback.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildInboundEmailHandler } from './handler.js';

const env = parseEnv(baseEnvSchema);
export const handler = buildInboundEmailHandler({
  repo: dynamoDbRepository(dynamoDbClient(), env.TABLE_NAME, REPOSITORY_CACHE),
  callback: new SfnWorkflowCallback(new SFNClient({})),
  clock: systemClock,
});
