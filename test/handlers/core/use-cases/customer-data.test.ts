import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { addressHash } from '../../../../functions/adapters/dynamodb/keys.js';
import {
  dynamoDbProfileStores,
  dynamoDbProgramStore,
  dynamoDbRepository,
} from '../../../../functions/adapters/dynamodb/repository.js';
import { SfnWorkflowControl } from '../../../../functions/adapters/sfn-workflow-control.js';
import type { ReplyRecord } from '../../../../functions/core/records.js';
import { eraseCustomer, exportCustomer } from '../../../../functions/core/use-cases/customer-data.js';
import { FixedClock } from '../../../support/fakes/index.js';
import { CAMPAIGN_ID, campaignItemOf, customerOf, lifecycleOf, NOW, sentTouchOf } from '../../../support/fixtures.js';

// `revisit customer export|erase --target aws`: the use cases with the deployed adapters, AWS calls mocked.
const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const TABLE = 'RevisitData-Table';
const LIFECYCLE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:RevisitLifecycle';
const PK = `CAMPAIGN#${CAMPAIGN_ID}`;
const PHONE_HASH = `sms#${addressHash('+8613800138000')}`;

const deps = () => ({
  repo: dynamoDbRepository(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE),
  ...dynamoDbProfileStores(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE),
  programs: dynamoDbProgramStore(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE),
  clock: new FixedClock(NOW),
  control: new SfnWorkflowControl(new SFNClient({ region: 'ap-northeast-1' }), LIFECYCLE),
});

const PROFILE = 'PROFILE#C0001';
const programClaim = {
  programId: 'always-on',
  customerId: 'C0001',
  key: 'cadence:gold:month:1:0',
  day: '2027-01-05',
  waveId: 'always-on-2027-01-05',
  touch: {
    program: 'always-on',
    trigger: 'cadence',
    key: 'cadence:gold:month:1:0',
    template: 'default',
    tier: 'gold',
    notAfter: NOW,
    skip: null,
  },
  sendAt: NOW,
  channel: 'sms',
  claimedAt: NOW,
} as const;

const stray: ReplyRecord = {
  campaignId: null,
  customerId: null,
  replyId: 'inbound-9',
  channel: 'sms',
  receivedAt: NOW,
  kind: 'text',
  value: '请问我的退款到了吗',
  touch: null,
  late: false,
  duplicate: false,
  resumed: false,
};

/** The table holds one campaign with customer C0001 planned and contacted once, and one stray SMS from their number. */
function tableHolding(lifecycleStatus: 'contacted' | 'replied') {
  ddb.on(ScanCommand).resolves({ Items: [{ pk: PK, sk: 'META' }] });
  ddb.on(GetCommand).callsFake((input: { Key: { sk: string }; ProjectionExpression?: string }) => {
    const items: Record<string, Record<string, unknown>> = {
      META: campaignItemOf(),
      'CUSTOMER#C0001': { pk: PK, sk: 'CUSTOMER#C0001', campaignId: CAMPAIGN_ID, customer: customerOf() },
      'LIFECYCLE#C0001': {
        pk: PK,
        sk: 'LIFECYCLE#C0001',
        ...lifecycleOf({ status: lifecycleStatus, finishedAt: lifecycleStatus === 'replied' ? NOW : null }),
      },
    };
    const item = items[input.Key.sk];
    return { Item: item && input.ProjectionExpression ? { pk: item.pk, sk: item.sk } : item };
  });
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const values = input.ExpressionAttributeValues ?? {};
    const keysOnly = input.ProjectionExpression === 'pk, sk';
    const items =
      values[':pk'] === 'UNMATCHED'
        ? [{ pk: 'UNMATCHED', sk: 'REPLY#inbound-9', fromHash: PHONE_HASH, ...stray }]
        : values[':prefix'] === 'TOUCH#C0001#'
          ? [{ pk: PK, sk: 'TOUCH#C0001#1', gsi1pk: `ADDR#${PHONE_HASH}`, gsi1sk: 'x', ...sentTouchOf(), taskToken: 'token-1' }]
          : values[':pk'] === PROFILE && values[':prefix'] === 'PTOUCH#'
            ? [{ pk: PROFILE, sk: 'PTOUCH#always-on#cadence:gold:month:1:0', gsi1pk: 'PTOUCHES#always-on', ...programClaim }]
            : values[':pk'] === PROFILE && values[':prefix'] === 'DUE#'
              ? [{ pk: PROFILE, sk: 'DUE#always-on#2027-02-05', programId: 'always-on', day: '2027-02-05', customerId: 'C0001' }]
              : [];
    return { Items: keysOnly ? items.map(({ pk, sk }) => ({ pk, sk })) : items };
  });
  ddb.on(BatchWriteCommand).resolves({});
  sfn.on(StopExecutionCommand).resolves({});
}

beforeEach(() => {
  ddb.reset();
  sfn.reset();
});

describe('the DynamoDB adapter for data subject requests', () => {
  it('finds the campaigns with one Scan that reads only the keys of their META items, page by page', async () => {
    // Prepare
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ pk: 'CAMPAIGN#b', sk: 'META' }], LastEvaluatedKey: { pk: 'CAMPAIGN#b', sk: 'META' } })
      .resolvesOnce({ Items: [{ pk: 'CAMPAIGN#a', sk: 'META' }] });

    // Act
    const ids = await deps().repo.listCampaignIds();

    // Assess
    expect(ids).toEqual(['a', 'b']);
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(ScanCommand, 1, {
      TableName: TABLE,
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: '#pk, #sk',
      FilterExpression: '#sk = :meta AND begins_with(#pk, :campaign)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':meta': 'META', ':campaign': 'CAMPAIGN#' },
      ExclusiveStartKey: undefined,
    });
    expect(ddb).toHaveReceivedNthCommandWith(ScanCommand, 2, { ExclusiveStartKey: { pk: 'CAMPAIGN#b', sk: 'META' } });
  });

  it("reads a customer's records of a campaign by key and sort key prefix, filtered by customer id, strongly consistent", async () => {
    // Prepare
    tableHolding('contacted');

    // Act
    const records = await deps().repo.customerRecordsIn(CAMPAIGN_ID, 'C0001');

    // Assess
    expect(records.customer?.id).toBe('C0001');
    expect(records.touches).toHaveLength(1);
    for (const key of [
      { pk: PK, sk: 'CUSTOMER#C0001' },
      { pk: PK, sk: 'LIFECYCLE#C0001' },
    ]) {
      expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: key, ConsistentRead: true });
    }
    for (const prefix of ['TOUCH#C0001#', 'ESCALATION#C0001#', 'TICKET#C0001#', 'REPLY#']) {
      expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#customerId = :customerId',
        ExpressionAttributeNames: { '#customerId': 'customerId' },
        ExpressionAttributeValues: { ':pk': PK, ':prefix': prefix, ':customerId': 'C0001' },
        ConsistentRead: true,
      });
    }
  });

  it('keeps the sender of an unmatched reply as a hash of the address, never the address', async () => {
    // Prepare
    ddb.on(PutCommand).resolves({});

    // Act
    await deps().repo.putReply(stray, { channel: 'sms', address: ' +8613800138000' });

    // Assess
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(PutCommand, {
      TableName: TABLE,
      Item: { pk: 'UNMATCHED', sk: 'REPLY#inbound-9', ...stray, fromHash: PHONE_HASH },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(JSON.stringify(ddb.calls().map((call) => call.args[0].input))).not.toContain('13800138000');
  });

  it('keeps the first opt-out of an address: a second one changes nothing and is no error', async () => {
    // Prepare
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    // Act
    const second = deps().repo.suppress('sms', '+8613800138000', 'unsubscribe-link', NOW);

    // Assess
    await expect(second).resolves.toBeUndefined();
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(PutCommand, {
      TableName: TABLE,
      Item: { pk: `SUPPRESSION#${PHONE_HASH}`, sk: 'SUPPRESSION', channel: 'sms', source: 'unsubscribe-link', at: NOW },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });
});

describe('revisit customer export --target aws', () => {
  it('exports the customer without task tokens, with the replies their number sent that matched nothing', async () => {
    // Prepare
    tableHolding('contacted');

    // Act
    const exported = await exportCustomer(deps(), 'C0001');

    // Assess
    expect(exported.campaigns).toHaveLength(1);
    expect(exported.campaigns[0]?.touches[0]).not.toHaveProperty('taskToken');
    expect(exported.addresses[0]).toMatchObject({ channel: 'sms', unmatchedReplies: [stray] });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'fromHash = :from',
      ExpressionAttributeValues: { ':pk': 'UNMATCHED', ':prefix': 'REPLY#', ':from': PHONE_HASH },
      ConsistentRead: true,
    });
    expect(exported.programs).toEqual({ claims: [programClaim], due: [{ programId: 'always-on', day: '2027-02-05' }] });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': PROFILE, ':prefix': 'PTOUCH#' },
      ConsistentRead: true,
    });
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });
});

describe('revisit customer erase --target aws', () => {
  it("stops the customer's lifecycle in progress, then deletes their records by key in batches", async () => {
    // Prepare
    tableHolding('contacted');

    // Act
    const result = await eraseCustomer(deps(), 'C0001');

    // Assess
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(StopExecutionCommand, {
      executionArn: 'arn:aws:states:ap-northeast-1:123456789012:execution:RevisitLifecycle:spring-2027-C0001',
      error: 'CampaignCancelled',
      cause: 'customer data erased on request',
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        [TABLE]: [
          { DeleteRequest: { Key: { pk: PK, sk: 'CUSTOMER#C0001' } } },
          { DeleteRequest: { Key: { pk: PK, sk: 'LIFECYCLE#C0001' } } },
          { DeleteRequest: { Key: { pk: PK, sk: 'TOUCH#C0001#1' } } },
        ],
      },
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: { [TABLE]: [{ DeleteRequest: { Key: { pk: 'UNMATCHED', sk: 'REPLY#inbound-9' } } }] },
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#customerId = :customerId',
      ProjectionExpression: 'pk, sk',
      ExpressionAttributeNames: { '#customerId': 'customerId' },
      ExpressionAttributeValues: { ':pk': PK, ':prefix': 'TOUCH#C0001#', ':customerId': 'C0001' },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedCommandWith(BatchWriteCommand, {
      RequestItems: {
        [TABLE]: [
          { DeleteRequest: { Key: { pk: PROFILE, sk: 'PTOUCH#always-on#cadence:gold:month:1:0' } } },
          { DeleteRequest: { Key: { pk: 'DUE#always-on#2027-02-05', sk: 'C0001' } } },
          { DeleteRequest: { Key: { pk: PROFILE, sk: 'DUE#always-on#2027-02-05' } } },
        ],
      },
    });
    expect(result).toMatchObject({ campaigns: [CAMPAIGN_ID], stopped: 1 });
    // Erasure deletes by key and never writes, and never touches the suppression list.
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    const deleted = ddb.commandCalls(BatchWriteCommand).flatMap((call) => call.args[0].input.RequestItems?.[TABLE] ?? []);
    expect(JSON.stringify(deleted)).not.toContain('SUPPRESSION');
  });

  it('stops nothing when the lifecycle is finished and no ticket is open', async () => {
    // Prepare
    tableHolding('replied');

    // Act
    await eraseCustomer(deps(), 'C0001');

    // Assess
    expect(sfn).not.toHaveReceivedCommand(StopExecutionCommand);
    expect(ddb).toHaveReceivedCommand(BatchWriteCommand);
  });
});
