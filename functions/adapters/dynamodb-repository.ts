import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CampaignRepository } from '../core/ports/index.js';
import { dynamoDbRepository, type RepositoryOptions } from './dynamodb/repository.js';

/**
 * Moved to dynamodb/ (one store per concern, composed by `dynamoDbRepository`). Kept for the importers
 * outside this change (functions/reply-api, functions/report, local/aws-launch.ts): `new` of it returns
 * the composed stores. Delete once nothing imports it.
 */
export const DynamoDbCampaignRepository = function DynamoDbCampaignRepository(
  client: DynamoDBClient,
  tableName: string,
  options?: RepositoryOptions,
) {
  return dynamoDbRepository(client, tableName, options);
} as unknown as new (
  client: DynamoDBClient,
  tableName: string,
  options?: RepositoryOptions,
) => CampaignRepository;
export type DynamoDbCampaignRepository = CampaignRepository;
export type { RepositoryOptions };
