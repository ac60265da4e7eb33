import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbProfileStores } from '../../../functions/adapters/dynamodb/repository.js';
import type { CustomerEvent } from '../../../functions/core/events.js';
import { profileFromCustomer } from '../../../functions/core/profiles.js';
import { segmentationSchema } from '../../../functions/core/schemas.js';
import { CUTOFFS, customerOf, NOW } from '../../support/fixtures.js';

const TABLE = 'revisit-table';
const ddb = mockClient(DynamoDBDocumentClient);
const { profiles, events } = dynamoDbProfileStores(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE);
const profile = profileFromCustomer(customerOf(), CUTOFFS, segmentationSchema.parse({}), NOW);
const event: CustomerEvent = {
  id: 'E1',
  customerId: 'C0001',
  type: 'purchase',
  orderId: 'O1',
  amount: 199,
  at: '2026-12-20T10:30:00+08:00',
};
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => {
  ddb.reset();
});

describe('the DynamoDB profile stores (dynamoDbProfileStores)', () => {
  it('creates a profile only where there is none, indexed for listing', async () => {
    // Prepare
    ddb.on(PutCommand).resolves({});

    // Act
    const stored = await profiles.putProfile(profile);

    // Assess
    expect(stored?.version).toBe(1);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(PutCommand, {
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'PROFILE#C0001', sk: 'PROFILE', gsi1pk: 'PROFILES', gsi1sk: 'C0001', ...profile, version: 1 },
    });
  });

  it('writes over the version read, and says so when another write came first', async () => {
    // Prepare
    ddb.on(PutCommand).rejects(conditionFailed());

    // Act
    const stored = await profiles.putProfile({ ...profile, version: 3 });

    // Assess
    expect(stored).toBeNull();
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: { ':read': 3 },
      Item: expect.objectContaining({ version: 4 }),
    });
  });

  it('records an event by its id alone, indexed by its customer and UTC time; a second one reads the first back', async () => {
    // Prepare
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { pk: 'EVENT#E1', sk: 'EVENT', event, receivedAt: NOW, appliedAt: NOW } });

    // Act
    const recorded = await events.recordEvent(event, NOW);

    // Assess
    expect(recorded).toEqual({ isNew: false, stored: { event, receivedAt: NOW, appliedAt: NOW } });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: 'EVENT#E1',
        sk: 'EVENT',
        gsi1pk: 'EVENTS#C0001',
        gsi1sk: '2026-12-20T02:30:00.000Z#E1',
        event,
        receivedAt: NOW,
        appliedAt: null,
      },
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { pk: 'EVENT#E1', sk: 'EVENT' }, ConsistentRead: true });
  });

  it("marks an event applied, and lists a customer's events through gsi1", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'EVENT#E1', sk: 'EVENT', event, receivedAt: NOW, appliedAt: null }] });

    // Act
    await events.markEventApplied('E1', NOW);
    const listed = await events.listEvents('C0001');

    // Assess
    expect(listed).toEqual([{ event, receivedAt: NOW, appliedAt: null }]);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'EVENT#E1', sk: 'EVENT' },
      UpdateExpression: 'SET appliedAt = :at',
      ExpressionAttributeValues: { ':at': NOW },
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :customer',
      ExpressionAttributeValues: { ':customer': 'EVENTS#C0001' },
    });
  });
});
