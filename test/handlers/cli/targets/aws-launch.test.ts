import 'aws-sdk-client-mock-vitest/extend';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { launchOnAws, StackNotReadyError } from '../../../../cli/targets/aws-launch.js';
import { loadCampaignFile } from '../../../../files/campaign-file.js';
import { CampaignExistsError } from '../../../../files/import-customers.js';

const cfn = mockClient(CloudFormationClient);
// The repository talks through the document client: its commands are the ones mocked and checked.
const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const scheduler = mockClient(SchedulerClient);
const MACHINE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:RevisitCampaign';
const NOW = new Date('2026-12-10T02:00:00Z');
const REPORT = 'arn:aws:lambda:ap-northeast-1:123456789012:function:Revisit-Report';
const SCHEDULE_ROLE = 'arn:aws:iam::123456789012:role/Revisit-ReportScheduleRole';

const clients = () => ({
  cfn: new CloudFormationClient({ region: 'ap-northeast-1' }),
  dynamodb: new DynamoDBClient({ region: 'ap-northeast-1' }),
  sfn: new SFNClient({ region: 'ap-northeast-1' }),
  scheduler: new SchedulerClient({ region: 'ap-northeast-1' }),
  region: 'ap-northeast-1',
});

async function options(resume = false) {
  return {
    stackName: 'Revisit',
    campaign: await loadCampaignFile('examples/spring-festival-2027.yaml'),
    customersFile: 'test/fixtures/customers-20.csv',
    outDir: mkdtempSync(join(tmpdir(), 'revisit-launch-')),
    resume,
    now: NOW,
  };
}

beforeEach(() => {
  cfn.reset();
  ddb.reset();
  sfn.reset();
  scheduler.reset();
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'Revisit',
        CreationTime: NOW,
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: [
          { OutputKey: 'TableName', OutputValue: 'RevisitData-Table' },
          { OutputKey: 'CampaignStateMachineArn', OutputValue: MACHINE },
          { OutputKey: 'ReportFunctionArn', OutputValue: REPORT },
          { OutputKey: 'ReportScheduleGroupName', OutputValue: 'Revisit-reports' },
          { OutputKey: 'ReportScheduleRoleArn', OutputValue: SCHEDULE_ROLE },
        ],
      },
    ],
  });
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
  ddb.on(UpdateCommand).resolves({});
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
  sfn
    .on(StartExecutionCommand)
    .resolves({ executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:x`, startDate: NOW });
});

describe('revisit launch --target aws', () => {
  it('imports the customers into the stack table in batches and starts one campaign execution', async () => {
    // Act
    const result = await launchOnAws(clients(), await options());

    // Assess
    expect(cfn).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'Revisit' });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'RevisitData-Table',
      Key: { pk: 'CAMPAIGN#spring-festival-2027', sk: 'META' },
      ConsistentRead: true,
    });
    const batches = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.['RevisitData-Table']?.length);
    expect(batches.reduce((sum: number, n) => sum + (n ?? 0), 0)).toBe(20);
    expect(Math.max(...batches.map((n) => n ?? 0))).toBeLessThanOrEqual(25);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: MACHINE,
      name: 'spring-festival-2027-launch',
      input: JSON.stringify({ campaignId: 'spring-festival-2027', cursor: null, day: null }),
    });
    expect(result).toMatchObject({ imported: 20 });
    expect(result.consoleUrl).toMatch(
      /^https:\/\/ap-northeast-1\.console\.aws\.amazon\.com\/states\/home\?region=ap-northeast-1#/,
    );
    expect(result.rejected.filter((r) => r.action === 'rejected')).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'RevisitData-Table',
      Key: { pk: 'CAMPAIGN#spring-festival-2027', sk: 'META' },
      ExpressionAttributeValues: { ':launch': { executionArn: result.executionArn, startedAt: NOW.toISOString() } },
    });
  });

  it('schedules the report for the summary phase, a week and three months later, in the campaign zone', async () => {
    const result = await launchOnAws(clients(), await options());

    expect(scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 3);
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: 'spring-festival-2027-report-summary',
      GroupName: 'Revisit-reports',
      // The execution phase of the example ends 2027-01-20: the summary phase opens the next morning.
      ScheduleExpression: 'at(2027-01-21T09:00:00)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: expect.objectContaining({
        Arn: REPORT,
        RoleArn: SCHEDULE_ROLE,
        Input: JSON.stringify({ campaignId: 'spring-festival-2027' }),
      }),
    });
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: 'spring-festival-2027-report-1w',
      ScheduleExpression: 'at(2027-01-28T09:00:00)',
    });
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: 'spring-festival-2027-report-3m',
      ScheduleExpression: 'at(2027-04-21T09:00:00)',
    });
    expect(result.reports.map((r) => r.name)).toEqual(['summary', '1w', '3m']);
  });

  it('keeps the schedules a resumed launch finds in place', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'Schedule already exists', Message: 'Schedule already exists', $metadata: {} }));

    await expect(launchOnAws(clients(), await options())).resolves.toMatchObject({ imported: 20 });
  });

  it('starts nothing when a schedule cannot be made for another reason', async () => {
    scheduler.on(CreateScheduleCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    await expect(launchOnAws(clients(), await options())).rejects.toThrow('not authorized');
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('refuses a second launch of the same campaign id and starts nothing', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        pk: 'CAMPAIGN#spring-festival-2027',
        sk: 'META',
        campaignId: 'spring-festival-2027',
        campaign: (await options()).campaign,
        cutoffs: { diamondMinSpend: 1, goldMinSpend: 1 },
        status: 'running',
        createdAt: NOW.toISOString(),
        customerCount: 20,
      },
    });

    await expect(launchOnAws(clients(), await options())).rejects.toBeInstanceOf(CampaignExistsError);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);

    // With --resume: no second import, a new fan-out whose lifecycles keep their names
    const resumed = await launchOnAws(clients(), await options(true));
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: `spring-festival-2027-resume-${NOW.getTime()}` });
    expect(resumed.imported).toBe(20);
  });

  it('says the stack is not deployed when its outputs are missing', async () => {
    cfn
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'Revisit', CreationTime: NOW, StackStatus: 'CREATE_IN_PROGRESS' }] });

    await expect(launchOnAws(clients(), await options())).rejects.toBeInstanceOf(StackNotReadyError);
  });
});
