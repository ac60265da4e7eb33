import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag';
import { GSI1 } from './table';

export interface OperatorAccessProps {
  /**
   * The revisit table: launch imports into it, the other commands read and change campaign records, and
   * `customer erase` deletes a customer's records (BatchWriteItem delete requests).
   */
  readonly table: ITable;
  /** The key the table is encrypted with. */
  readonly tableKey: IKey;
  /** `revisit launch` starts it; `status` describes its executions. */
  readonly campaign: StateMachine;
  /** `resume` wakes its held executions (SendTaskSuccess); `cancel` stops them. */
  readonly lifecycle: StateMachine;
  /** `revisit launch --program` starts it; `status` describes and `cancel` stops its executions. */
  readonly program: StateMachine;
  /** The campaign report function the launch schedules for the summary phase. */
  readonly report: IFunction;
}

/**
 * What marketing ops need to run campaigns on the deployed stack, and nothing more:
 * - a managed policy (`<stack>-operator`) with exactly the calls `revisit launch|status|pause|resume|
 *   cancel|update|customer` make, on exactly this stack's resources, to attach to an operator's role or group;
 * - the schedule group and role with which `revisit launch` schedules the campaign report (EventBridge
 *   Scheduler, one-time schedules that invoke the report function and delete themselves).
 */
export class OperatorAccess extends Construct {
  /** Attach to the IAM users, groups or roles that operate campaigns. */
  public readonly policy: ManagedPolicy;
  /** Holds the one-time report schedules of every launch. */
  public readonly reportSchedules: ScheduleGroup;
  /** Assumed by EventBridge Scheduler to invoke the report function. */
  public readonly reportScheduleRole: Role;

  public constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { table, tableKey, campaign, lifecycle, program, report } = props;

    this.reportSchedules = new ScheduleGroup(this, 'ReportSchedules', {
      scheduleGroupName: `${stack.stackName}-reports`,
      // Stateless like the report function it invokes: a redeployment under the same name must not collide.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.reportScheduleRole = new Role(this, 'ReportScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'revisit: EventBridge Scheduler invokes the campaign report function',
    });
    // The unqualified function ARN the schedules target, and no version or alias of it (grantInvoke would add `ARN:*`).
    this.reportScheduleRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [report.functionArn] }),
    );

    const executionsOf = (machine: StateMachine) =>
      stack.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${machine.stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const campaignExecutions = executionsOf(campaign);
    const lifecycleExecutions = executionsOf(lifecycle);
    const programExecutions = executionsOf(program);
    const schedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.reportSchedules.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    this.policy = new ManagedPolicy(this, 'Policy', {
      managedPolicyName: `${stack.stackName}-operator`,
      description:
        "revisit: launch, watch, pause, resume, cancel and update campaigns and programs, export and erase a customer's data, on this stack (least privilege)",
      statements: [
        new PolicyStatement({
          sid: 'ReadStackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [stack.stackId],
        }),
        new PolicyStatement({
          sid: 'CampaignRecords',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:Query'],
          resources: [table.tableArn],
        }),
        new PolicyStatement({
          // `revisit customer export|erase`: a customer's events (issue 16) are listed through the index
          // (gsi1 `EVENTS#<customer id>`), and only that index is queried.
          sid: 'CustomerEvents',
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${GSI1}`],
        }),
        new PolicyStatement({
          // `revisit customer export|erase`: the campaigns are found with one Scan that may read only the
          // keys (the META items' pk and sk), never whole items; each campaign is then read with Query.
          sid: 'FindCampaigns',
          actions: ['dynamodb:Scan'],
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk'] },
            StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
          },
        }),
        new PolicyStatement({
          sid: 'TableKey',
          actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [tableKey.keyArn],
        }),
        new PolicyStatement({
          sid: 'LaunchCampaigns',
          actions: ['states:StartExecution'],
          resources: [campaign.stateMachineArn],
        }),
        new PolicyStatement({
          sid: 'LaunchPrograms',
          actions: ['states:StartExecution'],
          resources: [program.stateMachineArn],
        }),
        new PolicyStatement({
          sid: 'WatchLaunches',
          actions: ['states:DescribeExecution'],
          resources: [campaignExecutions, programExecutions],
        }),
        new PolicyStatement({
          sid: 'WakeHeldLifecycles',
          actions: ['states:SendTaskSuccess'],
          resources: [lifecycle.stateMachineArn],
        }),
        new PolicyStatement({
          sid: 'CancelLifecycles',
          actions: ['states:StopExecution'],
          resources: [lifecycleExecutions, campaignExecutions, programExecutions],
        }),
        new PolicyStatement({
          sid: 'ScheduleReports',
          actions: ['scheduler:CreateSchedule'],
          resources: [schedules],
        }),
        new PolicyStatement({
          sid: 'PassReportScheduleRole',
          effect: Effect.ALLOW,
          actions: ['iam:PassRole'],
          resources: [this.reportScheduleRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ],
    });

    acknowledgeWildcardResource(
      this.policy,
      campaignExecutions,
      'Executions of the campaign state machine only: each launch names its own (campaign id and -launch or -resume-<time>).',
    );
    acknowledgeWildcardResource(
      this.policy,
      lifecycleExecutions,
      'Executions of the lifecycle state machine only: one per customer, named after campaign and customer, not known in advance.',
    );
    acknowledgeWildcardResource(
      this.policy,
      programExecutions,
      'Executions of the program state machine only: one per launch and one per renewal, named after program and day.',
    );
    acknowledgeWildcardResource(
      this.policy,
      schedules,
      "Schedules in this stack's report schedule group only: each launch names its own after the campaign.",
    );
  }
}
