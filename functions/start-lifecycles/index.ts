import { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { dynamoDbClient, REPOSITORY_CACHE } from '../adapters/clients.js';
import { dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { SfnWorkflowControl } from '../adapters/sfn-workflow-control.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildStartLifecyclesHandler } from './handler.js';

const env = parseEnv(baseEnvSchema.extend({ LIFECYCLE_STATE_MACHINE_ARN: z.string().min(1) }));
export const handler = buildStartLifecyclesHandler({
  repo: dynamoDbRepository(dynamoDbClient(), env.TABLE_NAME, REPOSITORY_CACHE),
  // StartExecution is throttled per account (a token bucket): the SDK backs off and tries again.
  starter: new SfnWorkflowControl(new SFNClient({ maxAttempts: 8 }), env.LIFECYCLE_STATE_MACHINE_ARN),
});
