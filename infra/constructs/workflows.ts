import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { workflowFile } from '../workflow-files';

export interface WorkflowFunctions {
  readonly plan: IFunction;
  readonly contact: IFunction;
  readonly evaluate: IFunction;
  readonly escalate: IFunction;
  readonly startLifecycles: IFunction;
  /** The program state machine's enrolment and daily sweep pages. */
  readonly programSweep: IFunction;
}

export interface WorkflowsProps {
  /** The Lambda functions the Task states call. */
  readonly functions: WorkflowFunctions;
  /** The table AwaitResponse and RecordFailure write to directly. */
  readonly table: ITable;
  /** The key the table is encrypted with. */
  readonly tableKey: IKey;
  /**
   * How long execution logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The three state machines, loaded from the ASL files in workflows/ (the very files the local engine
 * runs) with `${...}` substitutions filled in by CloudFormation.
 *
 * All are Standard workflows: a lifecycle waits days for a send window and for a reply, a program a day
 * between sweeps.
 * Logs hold errors only and never execution data, because inputs and outputs carry personal data.
 */
export class Workflows extends Construct {
  /** One execution per customer: plan, contact, await the reply, re-contact, evaluate, escalate. */
  public readonly lifecycle: StateMachine;
  /** One execution per campaign launch: pages through the customers and starts their lifecycles. */
  public readonly campaign: StateMachine;
  /**
   * One execution per standing program (issue 16): enrols the profiles on the sparse due index, then sweeps
   * a day at a time and starts each day's wave of lifecycles through StartLifecycles; renews itself.
   */
  public readonly program: StateMachine;

  public constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const { functions, table, tableKey } = props;
    const retention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.lifecycle = this.stateMachine('Lifecycle', 'lifecycle', retention, {
      PlanFunctionArn: functions.plan.functionArn,
      ContactFunctionArn: functions.contact.functionArn,
      EvaluateFunctionArn: functions.evaluate.functionArn,
      EscalateFunctionArn: functions.escalate.functionArn,
      TableName: table.tableName,
    });
    allowInvoke(this.lifecycle, [functions.plan, functions.contact, functions.evaluate, functions.escalate]);
    // AwaitResponse (aws-sdk:dynamodb:updateItem.waitForTaskToken) and RecordFailure write one item each.
    this.lifecycle.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn] }));
    tableKey.grantEncryptDecrypt(this.lifecycle);

    this.campaign = this.stateMachine('Campaign', 'campaign', retention, {
      StartLifecyclesFunctionArn: functions.startLifecycles.functionArn,
    });
    // The campaign execution only invokes StartLifecycles: the function starts the lifecycles (grantStartLifecycles).
    allowInvoke(this.campaign, [functions.startLifecycles]);

    // Named, so that its role can name its ARN: the Renew state starts the program's next execution on
    // $$.StateMachine.Id, and a grant on the machine's own Ref would be a circular dependency.
    const programName = `${Stack.of(this).stackName}-program`;
    this.program = this.stateMachine(
      'Program',
      'program',
      retention,
      {
        ProgramSweepFunctionArn: functions.programSweep.functionArn,
        StartLifecyclesFunctionArn: functions.startLifecycles.functionArn,
      },
      programName,
    );
    allowInvoke(this.program, [functions.programSweep, functions.startLifecycles]);
    this.program.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [
          Stack.of(this).formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: programName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );

    this.acknowledgeFindings();
  }

  /** Lets `grantee` start lifecycle executions, and tells it the lifecycle state machine's ARN. */
  public grantStartLifecycles(grantee: IGrantable & { addEnvironment(key: string, value: string): unknown }): void {
    this.lifecycle.grants.startExecution(grantee);
    grantee.addEnvironment('LIFECYCLE_STATE_MACHINE_ARN', this.lifecycle.stateMachineArn);
  }

  /**
   * Lets `grantee` resume or fail a waiting lifecycle (SendTaskSuccess, SendTaskFailure,
   * SendTaskHeartbeat), as a reply does.
   */
  public grantTaskCallbacks(grantee: IGrantable): void {
    this.lifecycle.grants.taskResponse(grantee);
  }

  private stateMachine(
    id: string,
    name: 'lifecycle' | 'campaign' | 'program',
    retention: RetentionDays,
    definitionSubstitutions: Record<string, string>,
    stateMachineName?: string,
  ): StateMachine {
    const logs = new LogGroup(this, `${id}Logs`, {
      // Step Functions vended logs: this prefix keeps the CloudWatch Logs resource policy small.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${id}`,
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return new StateMachine(this, id, {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(workflowFile(name)),
      definitionSubstitutions,
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ERROR, includeExecutionData: false },
    });
  }

  private acknowledgeFindings(): void {
    for (const machine of [this.lifecycle, this.campaign, this.program]) {
      Validations.of(machine).acknowledge(
        {
          id: 'AwsSolutions-SF1',
          reason:
            'Executions carry customer names, phone numbers, addresses and replies: logs keep level ERROR without execution data. ' +
            'Every step is still visible in the execution history and in X-Ray.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'Granted by CDK for logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery and friends) ' +
            'and xray:PutTraceSegments do not support resource-level permissions.',
        },
      );
    }
    const kmsReason =
      "The table's key, by ARN: DynamoDB needs GenerateDataKey and ReEncrypt variants to write items encrypted with a customer managed key.";
    Validations.of(this.lifecycle).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: kmsReason },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: kmsReason },
    );
  }
}

/** lambda:InvokeFunction on the unqualified ARNs the ASL Task states name, and nothing else (no versions, no aliases). */
function allowInvoke(machine: StateMachine, functions: IFunction[]): void {
  machine.addToRolePolicy(
    new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functions.map((fn) => fn.functionArn) }),
  );
}
