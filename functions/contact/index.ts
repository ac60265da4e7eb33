import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { dynamoDbClient, REPOSITORY_CACHE, SecretsManagerLinkKey, systemClock } from '../adapters/clients.js';
import { dynamoDbCouponStore } from '../adapters/dynamodb/coupon-store.js';
import { DynamoDbRateLimiter } from '../adapters/dynamodb/rate-limiter.js';
import { dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { SesEmailSender } from '../adapters/ses-email-sender.js';
import { SnsSmsSender } from '../adapters/sns-sms-sender.js';
import { messagingEnvSchema, parseEnv } from '../shared/env.js';
import { buildContactHandler } from './handler.js';

const env = parseEnv(messagingEnvSchema);
const dynamodb = dynamoDbClient();
export const handler = buildContactHandler({
  repo: dynamoDbRepository(dynamodb, env.TABLE_NAME, REPOSITORY_CACHE),
  limiter: new DynamoDbRateLimiter(dynamodb, env.TABLE_NAME),
  coupons: dynamoDbCouponStore(dynamodb, env.TABLE_NAME),
  clock: systemClock,
  sms: new SnsSmsSender(new SNSClient({}), { originationNumber: env.SMS_ORIGINATION_NUMBER, senderId: env.SMS_SENDER_ID }),
  email: new SesEmailSender(new SESv2Client({}), {
    fromAddress: env.SES_FROM_ADDRESS,
    configurationSetName: env.SES_CONFIGURATION_SET,
    replyToAddress: env.SES_REPLY_TO_ADDRESS || undefined,
  }),
  links: new SecretsManagerLinkKey(new SecretsManagerClient({}), env.LINK_SECRET_ARN),
  publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/$/, ''),
});
