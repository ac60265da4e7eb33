import { describe } from 'vitest';
import {
  useDynamoDbLocalProfileStores,
  useDynamoDbLocalProgramStore,
  useDynamoDbLocalStores,
} from '../support/contracts/dynamodb.js';
import { describeProfileContracts } from '../support/contracts/profiles.js';
import { describeProgramStoreContract } from '../support/contracts/programs.js';
import { describeStoreContracts } from '../support/contracts/stores.js';

describe('the DynamoDB stores on DynamoDB Local', () => {
  describeStoreContracts(useDynamoDbLocalStores());
});

describe('the DynamoDB profile stores on DynamoDB Local', () => {
  describeProfileContracts(useDynamoDbLocalProfileStores());
});

describe('the DynamoDB program store on DynamoDB Local', () => {
  describeProgramStoreContract(useDynamoDbLocalProgramStore());
});
