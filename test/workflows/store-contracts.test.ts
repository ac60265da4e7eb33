import { describe } from 'vitest';
import { useDynamoDbLocalStores } from '../support/contracts/dynamodb.js';
import { describeStoreContracts } from '../support/contracts/stores.js';

describe('the DynamoDB stores on DynamoDB Local', () => {
  describeStoreContracts(useDynamoDbLocalStores());
});
