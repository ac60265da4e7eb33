import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoDbRepository } from '../../../../functions/adapters/dynamodb/repository.js';
import { SfnWorkflowCallback } from '../../../../functions/adapters/sfn-workflow-callback.js';
import { SfnWorkflowControl } from '../../../../functions/adapters/sfn-workflow-control.js';
import {
  campaignStatus,
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  updateCampaignSettings,
} from '../../../../functions/core/use-cases/operate.js';
import { FixedClock } from '../../../support/fakes/index.js';
import { CAMPAIGN_ID, campaignOf, lifecycleOf, NOW } from '../../../support/fixtures.js';

// `revisit pause|resume|cancel --target aws`: the use cases with the deployed adapters, AWS calls mocked.
const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const TABLE = 'RevisitData-Table';
const LIFECYCLE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:RevisitLifecycle';

const deps = () => {
  const client = new SFNClient({ region: 'ap-northeast-1' });
  return {
    repo: dynamoDbRepository(new DynamoDBClient({ region: 'ap-northeast-1' }), TABLE),
    clock: new FixedClock(NOW),
    callback: new SfnWorkflowCallback(client),
    control: new SfnWorkflowControl(client, LIFECYCLE),
  };
};

const campaignItem = (status: string) => ({
  pk: `CAMPAIGN#${CAMPAIGN_ID}`,
  sk: 'META',
  campaignId: CAMPAIGN_ID,
  campaign: campaignOf(),
  cutoffs: { diamondMinSpend: 1, goldMinSpend: 1 },
  status,
  createdAt: NOW,
  customerCount: 2,
});

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(GetCommand).resolves({ Item: campaignItem('running') });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand).resolves({
    Items: [
      { ...lifecycleOf({ customerId: 'C0001', status: 'contacted' }), pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'LIFECYCLE#C0001' },
      {
        ...lifecycleOf({ customerId: 'C0002', status: 'planned', pausedToken: 'token-2' }),
        pk: `CAMPAIGN#${CAMPAIGN_ID}`,
        sk: 'LIFECYCLE#C0002',
      },
    ],
  });
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(StopExecutionCommand).resolves({});
});

describe('operating a campaign on AWS', () => {
  it('pauses with one conditional update of the campaign record', async () => {
    await pauseCampaign(deps(), CAMPAIGN_ID, 'typo in the SMS');

    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'META' },
      UpdateExpression: 'SET #status = :to, statusReason = :reason, statusChangedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND #status IN (:from0)',
      ExpressionAttributeValues: { ':to': 'paused', ':reason': 'typo in the SMS', ':at': NOW, ':from0': 'running' },
    });
  });

  it('resumes and wakes each held lifecycle with SendTaskSuccess on its parked token', async () => {
    ddb.on(GetCommand).resolves({ Item: campaignItem('paused') });

    await resumeCampaign(deps(), CAMPAIGN_ID);

    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-2', output: '{"resumed":true}' });
  });

  it('cancels: StopExecution for every lifecycle in progress, by its name', async () => {
    await cancelCampaign(deps(), CAMPAIGN_ID, 'wrong list');

    expect(sfn).toHaveReceivedCommandTimes(StopExecutionCommand, 2);
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: `arn:aws:states:ap-northeast-1:123456789012:execution:RevisitLifecycle:${CAMPAIGN_ID}-C0002`,
      error: 'CampaignCancelled',
      cause: 'campaign cancelled: wrong list',
    });
  });
});

describe('watching and changing a campaign on AWS', () => {
  const LAUNCH = 'arn:aws:states:ap-northeast-1:123456789012:execution:RevisitCampaign:spring-2027-launch';

  it('status describes the launch execution and reads lifecycles, touches and tickets with three queries', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...campaignItem('running'), launch: { executionArn: LAUNCH, startedAt: NOW } } });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'TOUCH#' } }).resolves({ Items: [] });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'TICKET#' } }).resolves({ Items: [] });
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: LAUNCH,
      stateMachineArn: 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:RevisitCampaign',
      status: 'FAILED',
      startDate: new Date(NOW),
      stopDate: new Date(NOW),
      error: 'States.TaskFailed',
      cause: 'ListCustomers failed',
    });

    const status = await campaignStatus(deps(), CAMPAIGN_ID);

    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: LAUNCH });
    for (const prefix of ['LIFECYCLE#', 'TOUCH#', 'TICKET#']) {
      expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `CAMPAIGN#${CAMPAIGN_ID}`, ':prefix': prefix },
      });
    }
    expect(status.launch).toEqual({
      executionArn: LAUNCH,
      status: 'FAILED',
      startedAt: NOW,
      stoppedAt: NOW,
      error: 'States.TaskFailed',
      cause: 'ListCustomers failed',
    });
    expect(status.byState['holding (paused)'].total).toBe(1);
  });

  it('update writes the new settings with one update conditional on the campaign being paused', async () => {
    ddb.on(GetCommand).resolves({ Item: campaignItem('paused') });
    const campaign = campaignOf({ sendRates: { smsPerSecond: 3, emailPerSecond: 14 } });

    await updateCampaignSettings(deps(), CAMPAIGN_ID, campaign);

    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'META' },
      UpdateExpression: 'SET #campaign = :campaign, #settingsUpdatedAt = :settingsUpdatedAt',
      ConditionExpression: 'attribute_exists(pk) AND #status IN (:in0)',
      ExpressionAttributeNames: { '#campaign': 'campaign', '#settingsUpdatedAt': 'settingsUpdatedAt', '#status': 'status' },
      ExpressionAttributeValues: { ':campaign': campaign, ':settingsUpdatedAt': NOW, ':in0': 'paused' },
    });
  });
});
