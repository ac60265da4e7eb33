import 'aws-sdk-client-mock-vitest/extend';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { addressHash } from '../../../functions/adapters/dynamodb/keys.js';
import { dynamoDbRepository } from '../../../functions/adapters/dynamodb/repository.js';
import type { ReplyRecord, TouchRecord } from '../../../functions/core/records.js';
import { CAMPAIGN_ID, campaignItemOf, lifecycleOf, NOW, sentTouchOf } from '../../support/fixtures.js';

const TABLE = 'revisit-table';
const ddb = mockClient(DynamoDBDocumentClient);
const repo = dynamoDbRepository(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE);

const touchPk = { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'TOUCH#C0001#1' };
const claim: TouchRecord = {
  ...sentTouchOf(),
  status: 'claimed',
  sentAt: null,
  messageId: null,
  replyDeadline: null,
};
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const reply: ReplyRecord = {
  campaignId: CAMPAIGN_ID,
  customerId: 'C0001',
  replyId: 'sms-inbound-1',
  channel: 'sms',
  receivedAt: NOW,
  kind: 'score',
  value: 5,
  touch: 1,
  late: false,
  duplicate: false,
  resumed: true,
};

beforeEach(() => {
  ddb.reset();
});

describe('the DynamoDB stores (dynamoDbRepository)', () => {
  describe('claimTouch', () => {
    it('claims a new touch with a conditional put, indexed by hashed address', async () => {
      // Prepare
      ddb.on(PutCommand).resolves({});

      // Act
      const result = await repo.claimTouch(claim);

      // Assess
      expect(result).toEqual({ claimed: true });
      expect(ddb).toHaveReceivedCommandExactlyOnceWith(PutCommand, {
        TableName: TABLE,
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: {
          ...touchPk,
          gsi1pk: `ADDR#sms#${addressHash('+8613800138000')}`,
          gsi1sk: `${NOW}#TOUCH#C0001#1`,
          ...claim,
        },
      });
      expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    });

    it('re-claims a touch whose claim was released', async () => {
      // Prepare
      ddb.on(PutCommand).rejects(conditionFailed());
      ddb.on(UpdateCommand).resolves({});

      // Act
      const result = await repo.claimTouch(claim);

      // Assess
      expect(result).toEqual({ claimed: true });
      expect(ddb).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
        TableName: TABLE,
        Key: touchPk,
        ConditionExpression: '#status = :released',
        UpdateExpression: 'SET #status = :claimed, claimedAt = :at ADD attempts :one',
      });
    });

    it('returns the existing touch when it was claimed before and not released', async () => {
      // Prepare
      const existing = sentTouchOf();
      ddb.on(PutCommand).rejects(conditionFailed());
      ddb.on(UpdateCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({ Item: { ...touchPk, gsi1pk: 'ADDR#sms#x', gsi1sk: 'y', ...existing } });

      // Act
      const result = await repo.claimTouch(claim);

      // Assess
      expect(result).toEqual({ claimed: false, existing });
      expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: touchPk, ConsistentRead: true });
    });

    it('passes on a failure that is not a condition failure, without trying to re-claim', async () => {
      const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
      ddb.on(PutCommand).rejects(throttled);

      await expect(repo.claimTouch(claim)).rejects.toBe(throttled);
      expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    });
  });

  describe('recordTouchReply', () => {
    const answer = { kind: 'score' as const, value: 5, replyId: 'sms-inbound-1' };

    it('records the first reply conditionally and returns the touch without its keys', async () => {
      // Prepare
      const stored = { ...sentTouchOf(), status: 'replied', repliedAt: NOW, reply: answer, taskToken: 'task-token-1' };
      ddb.on(UpdateCommand).resolves({ Attributes: { ...touchPk, gsi1pk: 'ADDR#sms#x', gsi1sk: 'y', ...stored } });

      // Act
      const result = await repo.recordTouchReply({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }, answer, NOW);

      // Assess
      expect(result).toEqual(stored);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        Key: touchPk,
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(repliedAt)',
        ReturnValues: 'ALL_NEW',
        ExpressionAttributeValues: { ':at': NOW, ':reply': answer, ':replied': 'replied' },
      });
    });

    it('returns null when the touch has a reply already', async () => {
      ddb.on(UpdateCommand).rejects(conditionFailed());

      expect(await repo.recordTouchReply({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 }, answer, NOW)).toBeNull();
    });
  });

  describe('the campaign cache', () => {
    const cached = dynamoDbRepository(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE, {
      campaignCacheMs: 60_000,
    });
    const item = (settingsUpdatedAt: string | null) => ({ Item: campaignItemOf({ settingsUpdatedAt }) });

    it('reads a campaign once while it is fresh, and again once its settings changed', async () => {
      ddb.on(GetCommand).resolves(item(null));
      await cached.getCampaign(CAMPAIGN_ID);
      await cached.getCampaign(CAMPAIGN_ID);
      expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);

      // The status read before a send is never cached, and notices the change
      ddb.on(GetCommand).resolves(item(NOW));
      expect(await cached.getCampaignStatus(CAMPAIGN_ID)).toEqual({ status: 'running', settingsUpdatedAt: NOW });
      expect(ddb).toHaveReceivedCommandWith(GetCommand, {
        ConsistentRead: true,
        ProjectionExpression: '#status, settingsUpdatedAt',
      });
      expect((await cached.getCampaign(CAMPAIGN_ID))?.settingsUpdatedAt).toBe(NOW);
      expect(ddb).toHaveReceivedCommandTimes(GetCommand, 3);
    });

    it('does not keep a record read while the status changed (revisit pause answered "is running")', async () => {
      // Prepare: a read of the campaign is under way (a Contact's) when the status changes
      const fresh = dynamoDbRepository(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE, { campaignCacheMs: 60_000 });
      let answerRead: (value: { Item: Record<string, unknown> }) => void = () => undefined;
      ddb.on(GetCommand).callsFakeOnce(() => new Promise((resolve) => (answerRead = resolve)));
      ddb.on(UpdateCommand).resolves({});

      // Act
      const readBefore = fresh.getCampaign(CAMPAIGN_ID);
      await Promise.resolve();
      await fresh.setCampaignStatus(CAMPAIGN_ID, ['running'], 'paused', 'check', NOW);
      answerRead({ Item: campaignItemOf({}) });
      await readBefore;
      ddb.on(GetCommand).resolves({ Item: { ...campaignItemOf({}), status: 'paused' } });

      // Assess: the read that began before the change is not served from the cache afterwards
      expect((await fresh.getCampaign(CAMPAIGN_ID))?.status).toBe('paused');
    });
  });

  describe('updateCampaign', () => {
    it('changes only the fields given, on condition of the status', async () => {
      ddb.on(UpdateCommand).resolves({});

      const done = await repo.updateCampaign(CAMPAIGN_ID, { settingsUpdatedAt: NOW }, ['paused']);

      expect(done).toBe(true);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        TableName: TABLE,
        Key: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'META' },
        UpdateExpression: 'SET #settingsUpdatedAt = :settingsUpdatedAt',
        ConditionExpression: 'attribute_exists(pk) AND #status IN (:in0)',
      });
    });

    it('returns false when the campaign is in another status', async () => {
      ddb.on(UpdateCommand).rejects(conditionFailed());

      expect(await repo.updateCampaign(CAMPAIGN_ID, { settingsUpdatedAt: NOW }, ['paused'])).toBe(false);
    });
  });

  describe('putReply', () => {
    it('stores a reply once per reply id', async () => {
      ddb.on(PutCommand).resolves({});

      expect(await repo.putReply(reply)).toBe(true);
      expect(ddb).toHaveReceivedCommandWith(PutCommand, {
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'REPLY#sms-inbound-1', ...reply },
      });
    });

    it('returns false for a reply stored before', async () => {
      ddb.on(PutCommand).rejects(conditionFailed());

      expect(await repo.putReply(reply)).toBe(false);
    });

    it('keeps an unmatched reply apart from every campaign', async () => {
      ddb.on(PutCommand).resolves({});

      await repo.putReply({ ...reply, campaignId: null, customerId: null, touch: null });

      expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'UNMATCHED' }) });
    });
  });

  describe('suppression list', () => {
    it('never uses the raw address in a key', async () => {
      // Prepare
      ddb.on(PutCommand).resolves({});
      ddb.on(GetCommand).resolves({ Item: { pk: 'x', sk: 'SUPPRESSION' } });

      // Act
      await repo.suppress('sms', '+8613800138000', 'reply:sms', NOW);
      const suppressed = await repo.isSuppressed('sms', ' +8613800138000 ');

      // Assess
      expect(suppressed).toBe(true);
      const sent = JSON.stringify(ddb.calls().map((call) => call.args[0].input));
      expect(sent).not.toContain('13800138000');
      const key = { pk: `SUPPRESSION#sms#${addressHash('+8613800138000')}`, sk: 'SUPPRESSION' };
      expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: { ...key, channel: 'sms', source: 'reply:sms', at: NOW } });
      expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: key, ConsistentRead: true });
    });

    it('finds an address that is not on the list not suppressed', async () => {
      ddb.on(GetCommand).resolves({});

      expect(await repo.isSuppressed('email', 'wang.fang@example.cn')).toBe(false);
    });
  });

  describe('recentTouchesTo', () => {
    it('reads the newest touches to an address from the address index', async () => {
      // Prepare
      ddb.on(QueryCommand).resolves({ Items: [{ ...touchPk, gsi1pk: 'a', gsi1sk: 'b', ...sentTouchOf() }] });

      // Act
      const touches = await repo.recentTouchesTo('sms', '+8613800138000', 10);

      // Assess
      expect(touches).toEqual([sentTouchOf()]);
      expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': `ADDR#sms#${addressHash('+8613800138000')}` },
        ScanIndexForward: false,
        Limit: 10,
      });
    });
  });

  describe('lifecycles', () => {
    it('keeps the first lifecycle when one exists already', async () => {
      // Prepare
      const first = lifecycleOf({ segment: 'core' });
      ddb.on(PutCommand).rejects(conditionFailed());
      ddb.on(GetCommand).resolves({ Item: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'LIFECYCLE#C0001', ...first } });

      // Act
      const stored = await repo.createLifecycle(lifecycleOf({ segment: 'lost' }));

      // Assess
      expect(stored.segment).toBe('core');
    });

    it('updates only the fields given, on an existing lifecycle', async () => {
      ddb.on(UpdateCommand).resolves({});

      await repo.updateLifecycle(CAMPAIGN_ID, 'C0001', { status: 'contacted', csat: undefined });

      expect(ddb).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
        Key: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'LIFECYCLE#C0001' },
        UpdateExpression: 'SET #f0 = :v0',
        ExpressionAttributeNames: { '#f0': 'status' },
        ExpressionAttributeValues: { ':v0': 'contacted' },
        ConditionExpression: 'attribute_exists(pk)',
      });
    });
  });

  it('leaves a replied touch alone when marking it unanswered', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());

    await expect(repo.markTouchUnanswered({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 })).resolves.toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(repliedAt)',
    });
  });

  it('claims an escalation once', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());
    const escalation = {
      campaignId: CAMPAIGN_ID,
      customerId: 'C0001',
      touch: 1,
      kind: 'escalation' as const,
      owner: 'li.na@example.com',
      reason: 'CSAT 1/5',
      status: 'claimed' as const,
      messageId: null,
      createdAt: NOW,
    };

    expect(await repo.claimEscalation(escalation)).toBe(true);
    expect(await repo.claimEscalation(escalation)).toBe(false);
  });
});
