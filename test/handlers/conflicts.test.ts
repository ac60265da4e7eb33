import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbRepository } from '../../functions/adapters/dynamodb/repository.js';
import { SfnWorkflowCallback } from '../../functions/adapters/sfn-workflow-callback.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import { buildContactHandler } from '../../functions/contact/handler.js';
import { signLink } from '../../functions/core/links.js';
import type { TicketRecord } from '../../functions/core/records.js';
import { buildReplyApiHandler } from '../../functions/reply-api/handler.js';
import { FixedClock, FixedLinkKey, InMemoryRateLimiter, RecordingEmailSender } from '../support/fakes/index.js';
import {
  CAMPAIGN_ID,
  campaignOf,
  customerOf,
  LINK_KEY,
  lifecycleOf,
  NOW,
  PUBLIC_BASE_URL,
  sentTouchOf,
} from '../support/fixtures.js';
import { httpEvent, lambdaContext, silenceLogs } from '../support/handlers.js';

// Two attempts at the same step racing each other (a Lambda retry while the first still runs, a manager
// clicking twice in two tabs): the DynamoDB conditional write lets exactly one through. These run the
// handlers on the real DynamoDB adapter, with the SDK answering as DynamoDB does when the condition fails.
const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const sfn = mockClient(SFNClient);
const TABLE = 'revisit-table';
const pk = `CAMPAIGN#${CAMPAIGN_ID}`;
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const repo = () => dynamoDbRepository(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE);

beforeAll(() => {
  silenceLogs();
});

beforeEach(() => {
  ddb.reset();
  sns.reset();
  sfn.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: { pk, sk: 'META' } }).resolves({
    Item: {
      pk,
      sk: 'META',
      campaignId: CAMPAIGN_ID,
      campaign: campaignOf(),
      cutoffs: { diamondMinSpend: 5000, goldMinSpend: 2000 },
      status: 'running',
      createdAt: NOW,
      customerCount: 1,
    },
  });
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-2' });
  sfn.on(SendTaskSuccessCommand).resolves({});
});

describe('conditional-write conflicts', () => {
  it('Contact sends nothing when another attempt claimed the touch first', async () => {
    // Prepare: the other attempt's claim is there when this one writes
    ddb
      .on(GetCommand, { Key: { pk, sk: 'CUSTOMER#C0001' } })
      .resolves({ Item: { campaignId: CAMPAIGN_ID, customer: customerOf() } });
    ddb.on(GetCommand, { Key: { pk, sk: 'LIFECYCLE#C0001' } }).resolves({ Item: lifecycleOf() });
    const theirs = { ...sentTouchOf(), status: 'claimed', sentAt: null, messageId: null, replyDeadline: null };
    ddb.on(GetCommand, { Key: { pk, sk: 'TOUCH#C0001#1' } }).resolves({ Item: { pk, sk: 'TOUCH#C0001#1', ...theirs } });
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(UpdateCommand).rejects(conditionFailed());
    const contact = buildContactHandler({
      repo: repo(),
      clock: new FixedClock(NOW),
      sms: new SnsSmsSender(new SNSClient({ region: 'ap-northeast-1' }), {}),
      email: new RecordingEmailSender(),
      links: new FixedLinkKey(LINK_KEY),
      publicBaseUrl: PUBLIC_BASE_URL,
      limiter: new InMemoryRateLimiter(),
    });

    // Act
    const result = await contact(
      { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, channel: 'sms' },
      lambdaContext('contact'),
    );

    // Assess: the claim was conditional; the loser neither sends nor records a send
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: expect.objectContaining({ pk, sk: 'TOUCH#C0001#1', status: 'claimed' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { ConditionExpression: '#status = :released' });
    expect(result).toMatchObject({ status: 'already-sent', touch: 1 });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(ddb).not.toHaveReceivedCommandWith(UpdateCommand, { ConditionExpression: '#status = :claimed' });
  });

  it('a ticket acknowledged twice at once changes once and resumes the lifecycle once', async () => {
    // Prepare: both clicks read the open ticket; the second one's guarded update finds it acknowledged
    const ticket: TicketRecord = {
      campaignId: CAMPAIGN_ID,
      customerId: 'C0001',
      touch: 1,
      severity: 'B',
      category: 'logistics',
      reason: 'detractor',
      owner: 'li.na@example.com',
      chain: ['li.na@example.com'],
      level: 0,
      status: 'open',
      createdAt: NOW,
      respondBy: NOW,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      breached: false,
      climbs: [],
      confirmation: null,
      reopened: 0,
      replyText: null,
      score: null,
      taskToken: 'ticket-token',
    };
    ddb.on(GetCommand, { Key: { pk, sk: 'TICKET#C0001#1' } }).resolves({ Item: { pk, sk: 'TICKET#C0001#1', ...ticket } });
    ddb
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { pk, sk: 'TICKET#C0001#1', ...ticket, status: 'acknowledged', acknowledgedAt: NOW } })
      .rejects(conditionFailed());
    const api = buildReplyApiHandler({
      repo: repo(),
      clock: new FixedClock(NOW),
      callback: new SfnWorkflowCallback(new SFNClient({ region: 'ap-northeast-1' })),
      links: new FixedLinkKey(LINK_KEY),
    });
    const token = signLink(
      { p: 'ticket', c: CAMPAIGN_ID, u: 'C0001', t: 1, e: Math.floor(Date.parse(NOW) / 1000) + 3600 },
      LINK_KEY,
    );
    const click = () =>
      api(
        httpEvent({
          routeKey: 'POST /t/{token}',
          token,
          body: 'action=acknowledge',
          contentType: 'application/x-www-form-urlencoded',
        }),
        lambdaContext('reply-api'),
      );

    // Act
    const [first, second] = await Promise.all([click(), click()]);

    // Assess
    expect([first?.statusCode, second?.statusCode]).toEqual([200, 200]);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk, sk: 'TICKET#C0001#1' },
      ConditionExpression: expect.stringContaining('#status IN'),
    });
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'ticket-token' });
    expect([first?.body, second?.body].filter((body) => String(body).includes('本次操作未改变任何内容'))).toHaveLength(1);
  });
});
