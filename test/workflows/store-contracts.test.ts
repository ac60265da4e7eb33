import { describe } from 'vitest';
import { useDynamoDbLocalStores } from '../contracts/dynamodb.js';
import { describeStoreContracts } from '../contracts/stores.js';

describe('the DynamoDB stores on DynamoDB Local', () => {
  describeStoreContracts(useDynamoDbLocalStores());
});
