import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RejectedRow } from '../../files/customer-file.js';
import { CampaignExistsError, importCustomers } from '../../files/import-customers.js';
import { systemClock } from '../../functions/adapters/clients.js';
import { dynamoDbProfileStores, dynamoDbProgramStore, dynamoDbRepository } from '../../functions/adapters/dynamodb/repository.js';
import { type ReportTime, reportTimesOf } from '../../functions/core/campaign-phases.js';
import type { ProgramRecord } from '../../functions/core/ports/index.js';
import type { Program } from '../../functions/core/programs/schema.js';
import type { Campaign } from '../../functions/core/schemas.js';
import { firstSweepDayOf, launchProgram } from '../../functions/core/use-cases/programs.js';

/** What `launch --target aws` needs from the deployed stack (its outputs). */
export interface StackOutputs {
  tableName: string;
  campaignStateMachineArn: string;
  lifecycleStateMachineArn: string;
  /** The standing programs' state machine (absent on stacks deployed before programs: empty). */
  programStateMachineArn: string;
  /** Where launch schedules the campaign report (absent on stacks deployed before report schedules). */
  reportSchedules: { functionArn: string; groupName: string; roleArn: string } | null;
}

export class StackNotReadyError extends Error {
  override name = 'StackNotReadyError';
}

export async function stackOutputs(cfn: Pick<CloudFormationClient, 'send'>, stackName: string): Promise<StackOutputs> {
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const tableName = outputs.get('TableName');
  const campaignStateMachineArn = outputs.get('CampaignStateMachineArn');
  if (!tableName || !campaignStateMachineArn) {
    throw new StackNotReadyError(
      `stack ${stackName} has no TableName or CampaignStateMachineArn output: deploy it first (revisit deploy)`,
    );
  }
  const functionArn = outputs.get('ReportFunctionArn');
  const groupName = outputs.get('ReportScheduleGroupName');
  const roleArn = outputs.get('ReportScheduleRoleArn');
  return {
    tableName,
    campaignStateMachineArn,
    lifecycleStateMachineArn: outputs.get('LifecycleStateMachineArn') ?? '',
    programStateMachineArn: outputs.get('ProgramStateMachineArn') ?? '',
    reportSchedules: functionArn && groupName && roleArn ? { functionArn, groupName, roleArn } : null,
  };
}

export interface AwsLaunchOptions {
  stackName: string;
  campaign: Campaign;
  customersFile: string;
  outDir: string;
  resume: boolean;
  now?: Date;
}

export interface AwsLaunchResult {
  executionArn: string;
  consoleUrl: string;
  imported: number;
  rejected: RejectedRow[];
  /** The campaign report's schedules (EventBridge Scheduler), those in the future. */
  reports: ReportTime[];
}

/**
 * `revisit launch --target aws`: the stack's outputs, the customers imported into the deployed table
 * (batched writes, the same import as locally), then one execution of the campaign state machine. A
 * campaign id that was launched before is refused unless `resume` (then nothing is imported again and a
 * new fan-out starts: lifecycles already running keep their names, so none starts twice).
 */
export async function launchOnAws(
  clients: {
    cfn: Pick<CloudFormationClient, 'send'>;
    dynamodb: DynamoDBClient;
    sfn: Pick<SFNClient, 'send'>;
    scheduler: Pick<SchedulerClient, 'send'>;
    region: string;
  },
  options: AwsLaunchOptions,
): Promise<AwsLaunchResult> {
  const { tableName, campaignStateMachineArn, reportSchedules } = await stackOutputs(clients.cfn, options.stackName);
  const repo = dynamoDbRepository(clients.dynamodb, tableName);
  const now = options.now ?? new Date();
  const earlier = await repo.getCampaign(options.campaign.id);
  if (earlier && !options.resume) {
    throw new CampaignExistsError(
      `campaign ${options.campaign.id} was launched before on ${options.stackName}: pass --resume to go on with it`,
    );
  }
  let imported = earlier?.customerCount ?? 0;
  let rejected: RejectedRow[] = [];
  if (!earlier || earlier.status === 'importing')
    ({ imported, rejected } = await importCustomers(
      repo,
      { ...options, profiles: dynamoDbProfileStores(clients.dynamodb, tableName).profiles },
      now,
    ));
  // Before the start: a launch that cannot schedule its report starts nothing (and can go on with --resume).
  const reports = reportSchedules ? await scheduleReports(clients.scheduler, reportSchedules, options.campaign, now) : [];
  const name = options.resume ? `${options.campaign.id}-resume-${now.getTime()}` : `${options.campaign.id}-launch`;
  let executionArn = `${campaignStateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  try {
    const started = await clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: campaignStateMachineArn,
        name,
        input: JSON.stringify({ campaignId: options.campaign.id, cursor: null, day: null }),
      }),
    );
    executionArn = started.executionArn ?? executionArn;
  } catch (error) {
    // A launch that stopped after starting its execution, run again: that execution is the launch.
    if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
  }
  await repo.updateCampaign(options.campaign.id, { launch: { executionArn, startedAt: now.toISOString() } });
  const consoleUrl = `https://${clients.region}.console.aws.amazon.com/states/home?region=${clients.region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
  return { executionArn, consoleUrl, imported, rejected, reports };
}

export interface AwsProgramLaunchResult {
  record: ProgramRecord;
  /** What became of the program's record: stored, its settings changed, or left as it was. */
  outcome: 'created' | 'updated' | 'unchanged';
  executionArn: string;
  consoleUrl: string;
  /** The program's execution had been started before (ExecutionAlreadyExists): it runs already. */
  alreadyRunning: boolean;
}

/**
 * `revisit launch --program FILE --target aws`: the program stored in the deployed table (launchProgram:
 * launched again with the same settings it is left as it is, with changed settings updated for its next
 * sweeps), then its one execution of the program state machine, named `<program id>-launch` so that a
 * launch run again never starts a second one (ExecutionAlreadyExists: it runs already).
 */
export async function launchProgramOnAws(
  clients: { cfn: Pick<CloudFormationClient, 'send'>; dynamodb: DynamoDBClient; sfn: Pick<SFNClient, 'send'>; region: string },
  options: { stackName: string; program: Program; from: string; months: number | null; now?: Date },
): Promise<AwsProgramLaunchResult> {
  const { tableName, programStateMachineArn } = await stackOutputs(clients.cfn, options.stackName);
  if (!programStateMachineArn) {
    throw new StackNotReadyError(
      `stack ${options.stackName} has no ProgramStateMachineArn output: deploy the current version first (revisit deploy)`,
    );
  }
  const now = options.now ?? new Date();
  const { record, outcome } = await launchProgram(
    { programs: dynamoDbProgramStore(clients.dynamodb, tableName), clock: { ...systemClock, now: () => now } },
    options.program,
    { from: options.from, months: options.months },
  );
  const name = `${record.programId}-launch`;
  let executionArn = `${programStateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  let alreadyRunning = false;
  try {
    const started = await clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: programStateMachineArn,
        name,
        input: JSON.stringify({ programId: record.programId, day: firstSweepDayOf(record), cursor: null, enrol: true }),
      }),
    );
    executionArn = started.executionArn ?? executionArn;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    alreadyRunning = true;
  }
  const consoleUrl = `https://${clients.region}.console.aws.amazon.com/states/home?region=${clients.region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
  return { record, outcome, executionArn, consoleUrl, alreadyRunning };
}

/**
 * One-time EventBridge Scheduler schedules that invoke the report function with the campaign's id at
 * the start of the summary phase, a week later and three months later (rulebook sections 2 and 6); each
 * deletes itself once it has run. A schedule that exists already (a resumed launch) is left as it is.
 */
async function scheduleReports(
  scheduler: Pick<SchedulerClient, 'send'>,
  target: NonNullable<StackOutputs['reportSchedules']>,
  campaign: Campaign,
  now: Date,
): Promise<ReportTime[]> {
  const ahead = reportTimesOf(campaign).filter((time) => time.at > now);
  for (const time of ahead) {
    try {
      await scheduler.send(
        new CreateScheduleCommand({
          Name: `${campaign.id}-report-${time.name}`,
          GroupName: target.groupName,
          ScheduleExpression: `at(${time.localTime})`,
          ScheduleExpressionTimezone: time.timeZone,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Description: `revisit: the ${time.name} report of campaign ${campaign.id}`,
          Target: {
            Arn: target.functionArn,
            RoleArn: target.roleArn,
            Input: JSON.stringify({ campaignId: campaign.id }),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 24 * 3600 },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException) && (error as Error).name !== 'ConflictException') throw error;
    }
  }
  return ahead;
}

/**
 * The operations' dependencies against a deployed stack (`status|pause|resume|cancel --target aws`): the
 * same use cases as locally, with the deployed table and Step Functions.
 */
export async function awsOperateDeps(stackName: string) {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { SFNClient } = await import('@aws-sdk/client-sfn');
  const { SfnWorkflowCallback } = await import('../../functions/adapters/sfn-workflow-callback.js');
  const { SfnWorkflowControl } = await import('../../functions/adapters/sfn-workflow-control.js');
  const outputs = await stackOutputs(new CloudFormationClient({}), stackName);
  const sfn = new SFNClient({});
  const ddb = new DynamoDBClient({});
  return {
    repo: dynamoDbRepository(ddb, outputs.tableName),
    ...dynamoDbProfileStores(ddb, outputs.tableName),
    programs: dynamoDbProgramStore(ddb, outputs.tableName),
    clock: systemClock,
    callback: new SfnWorkflowCallback(sfn),
    control: new SfnWorkflowControl(sfn, outputs.lifecycleStateMachineArn),
  };
}
