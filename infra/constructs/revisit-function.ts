import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { GSI1 } from './table';

/** The repository root: entries, package-lock.json and tsconfig.json are found from here. */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The item actions a function may be granted on the table: reads, the conditional writes that record
 * progress, and batched puts (a program's due index: two items per entry).
 */
export type TableAction = 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'BatchWriteItem';

/** What a function may do with the table: exactly the calls its code makes (test/infra derives them from the code). */
export interface TableAccess {
  /**
   * Item actions on the table. No function deletes or scans, so DeleteItem, BatchGetItem and Scan are
   * never granted (CDK's readWriteData would grant them all); BatchWriteItem only to the functions that
   * put the programs' due entries, and customer imports.
   */
  readonly actions: readonly TableAction[];
  /**
   * Query on the address index (gsi1: touches by hashed recipient address), for frequency caps and for
   * matching SMS and e-mail replies to the touch they answer.
   * @default false
   */
  readonly addressIndex?: boolean;
}

/** What DynamoDB needs of the caller on a table encrypted with a customer managed key, to read or to write. */
const KEY_ACTIONS = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  write: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
} as const;

export interface RevisitFunctionProps {
  /** Folder under `functions/` whose `index.ts` exports `handler`, e.g. `'list-customers'`. */
  readonly name: string;
  /**
   * Shown in the Lambda console.
   * @default `revisit ${name}`
   */
  readonly description?: string;
  /**
   * Memory in MB; CPU grows with it.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Upper bound of one invocation. Keep it at or below the TimeoutSeconds of the Task that calls it.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_MONTH: logs carry customer identifiers, so they are not kept forever
   */
  readonly logRetention?: RetentionDays;
  /**
   * Environment in addition to `POWERTOOLS_SERVICE_NAME` and `NODE_OPTIONS`.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * For functions invoked asynchronously (SNS): keep the events that still fail after Lambda's
   * two retries in an encrypted SQS queue for 14 days instead of dropping them.
   * @default false
   */
  readonly deadLetterQueue?: boolean;
}

/**
 * A revisit Lambda handler with the house defaults: Node.js 22 on arm64, X-Ray active tracing, its own
 * log group with a retention, a role that may write only to that log group, and an ESM bundle
 * (source maps on) that includes the AWS SDK rather than relying on the runtime's copy.
 */
export class RevisitFunction extends NodejsFunction {
  /** Where async invocations that failed every retry are kept; only with `deadLetterQueue: true`. */
  public readonly failedEvents?: Queue;

  public constructor(scope: Construct, id: string, props: RevisitFunctionProps) {
    // Role and log group are created beside the function (not under it) because super() needs them.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `revisit ${props.name} function`,
    });
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const failedEvents = props.deadLetterQueue
      ? new Queue(scope, `${id}FailedEvents`, {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        })
      : undefined;

    super(scope, id, {
      entry: `${projectRoot}functions/${props.name}/index.ts`,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      description: props.description ?? `revisit ${props.name}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      deadLetterQueue: failedEvents,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'revisit',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        // Error names are the state machines' Retry/Catch contract; keep them readable in stack traces too.
        keepNames: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // CommonJS dependencies call require(); an ESM bundle has none unless we create one.
        // Aliased so that it cannot clash with a bundled `import { createRequire } from 'module'`.
        banner:
          "import { createRequire as __revisitCreateRequire } from 'node:module'; const require = __revisitCreateRequire(import.meta.url);",
        // Bundle the AWS SDK too: the runtime's copy lags behind the version the code is tested with.
        externalModules: [],
      },
    });
    this.failedEvents = failedEvents;
    logGroup.grants.write(this);

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so their resource is "*".',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x on purpose: the local engine, the tests and CI run Node 22 (devDependency node@22), so Lambda runs the same major; move both together.',
    });
  }

  /**
   * Gives the function the table: sets `TABLE_NAME` and grants exactly `access` on the table's ARN (and
   * Query on the index by its name when asked), plus the use of the table's KMS key: decrypt for readers,
   * encrypt and decrypt for writers.
   *
   * @param table the revisit table
   * @param key the key the table is encrypted with
   * @param access the item actions the function's code calls, and whether it queries the address index
   */
  public bindTable(table: ITable, key: IKey, access: TableAccess): void {
    this.addEnvironment('TABLE_NAME', table.tableName);
    Grant.addToPrincipal({
      grantee: this,
      actions: access.actions.map((action) => `dynamodb:${action}`),
      resourceArns: [table.tableArn],
    });
    if (access.addressIndex) {
      Grant.addToPrincipal({ grantee: this, actions: ['dynamodb:Query'], resourceArns: [`${table.tableArn}/index/${GSI1}`] });
    }
    const writes = access.actions.some(
      (action) => action === 'PutItem' || action === 'UpdateItem' || action === 'BatchWriteItem',
    );
    Grant.addToPrincipal({ grantee: this, actions: [...KEY_ACTIONS[writes ? 'write' : 'read']], resourceArns: [key.keyArn] });
    if (writes && this.role) {
      const reason =
        "On the table's key ARN only: DynamoDB needs the GenerateDataKey and ReEncrypt variants to write items encrypted with a customer managed key.";
      Validations.of(this.role).acknowledge(
        { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason },
        { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason },
      );
    }
  }
}
