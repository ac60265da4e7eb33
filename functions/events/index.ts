import { dynamoDbClient, REPOSITORY_CACHE, systemClock } from '../adapters/clients.js';
import { dynamoDbProfileStores, dynamoDbProgramStore, dynamoDbRepository } from '../adapters/dynamodb/repository.js';
import { segmentationSchema } from '../core/schemas.js';
import { baseEnvSchema, parseEnv } from '../shared/env.js';
import { buildEventsHandler } from './handler.js';

const env = parseEnv(baseEnvSchema);
const client = dynamoDbClient();
// Events recompute tiers and segments with the rulebook's rules (the defaults of a program's `segmentation`):
// one function serves every program, and a profile's tier is the customer's, not a program's.
export const handler = buildEventsHandler(
  {
    repo: dynamoDbRepository(client, env.TABLE_NAME, REPOSITORY_CACHE),
    programs: dynamoDbProgramStore(client, env.TABLE_NAME),
    ...dynamoDbProfileStores(client, env.TABLE_NAME),
    clock: systemClock,
  },
  { rules: segmentationSchema.parse({}) },
);
