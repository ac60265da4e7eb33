import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { dynamoDbClient, REPOSITORY_CACHE, SecretsManagerLinkKey, systemClock } from '../adapters/clients.js';
import { dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { SesEmailSender } from '../adapters/ses-email-sender.js';
import { messagingEnvSchema, parseEnv } from '../shared/env.js';
import { buildEscalateHandler } from './handler.js';

const env = parseEnv(messagingEnvSchema);
export const handler = buildEscalateHandler({
  repo: dynamoDbRepository(dynamoDbClient(), env.TABLE_NAME, REPOSITORY_CACHE),
  clock: systemClock,
  email: new SesEmailSender(new SESv2Client({}), {
    fromAddress: env.SES_FROM_ADDRESS,
    configurationSetName: env.SES_CONFIGURATION_SET,
  }),
  links: new SecretsManagerLinkKey(new SecretsManagerClient({}), env.LINK_SECRET_ARN),
  publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/$/, ''),
});
