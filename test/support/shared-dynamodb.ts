import { inject } from 'vitest';
import { shareDynamoDbLocal } from '../../local/dynamodb-local.js';

// setupFiles of the projects that use DynamoDB Local: in-memory starts of this file's runtimes open a
// database of their own on the test run's DynamoDB Local (test/global-setup.ts) instead of a JVM each.
shareDynamoDbLocal(inject('dynamoEndpoint'));
