import { SESv2Client } from '@aws-sdk/client-sesv2';
import { z } from 'zod';
import { dynamoDbClient, systemClock } from '../adapters/clients.js';
import { dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { SesEmailSender } from '../adapters/ses-email-sender.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildReportHandler } from './handler.js';

const env = parseEnv(baseEnvSchema.extend({ SES_FROM_ADDRESS: z.string().min(3), SES_CONFIGURATION_SET: z.string().min(1) }));
export const handler = buildReportHandler({
  repo: dynamoDbRepository(dynamoDbClient(), env.TABLE_NAME),
  clock: systemClock,
  email: new SesEmailSender(new SESv2Client({}), {
    fromAddress: env.SES_FROM_ADDRESS,
    configurationSetName: env.SES_CONFIGURATION_SET,
  }),
});
