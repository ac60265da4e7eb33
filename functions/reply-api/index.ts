import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoDbClient, REPOSITORY_CACHE, SecretsManagerLinkKey, systemClock } from '../adapters/clients.js';
import { dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { SfnWorkflowCallback } from '../adapters/sfn-workflow-callback.js';
import { parseEnv, replyApiEnvSchema } from '../shared/env.js';
import { buildReplyApiHandler } from './handler.js';

const env = parseEnv(replyApiEnvSchema);
export const handler = buildReplyApiHandler({
  repo: dynamoDbRepository(dynamoDbClient(), env.TABLE_NAME, REPOSITORY_CACHE),
  callback: new SfnWorkflowCallback(new SFNClient({})),
  clock: systemClock,
  links: new SecretsManagerLinkKey(new SecretsManagerClient({}), env.LINK_SECRET_ARN),
});
