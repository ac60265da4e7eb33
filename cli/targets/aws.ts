import { InvalidArgumentError } from 'commander';
import { type ControlRequest, carryOut, statusOfAny } from '../../files/control.js';
import type { Program } from '../../functions/core/programs/schema.js';
import type { Campaign } from '../../functions/core/schemas.js';
import { awsOperateDeps, launchOnAws } from './aws-launch.js';
import type { OperateDeps, ProgramLaunchOptions, Target } from './target.js';

/** The stack deployed by `cdk deploy`: the same use cases, with the deployed table and Step Functions. */
export class AwsTarget implements Target {
  readonly kind = 'aws';
  readonly flags: string;

  private deps: ReturnType<typeof awsOperateDeps> | undefined;

  constructor(private readonly stack: string) {
    this.flags = ` --target aws --stack ${stack}`;
  }

  /** Looked up once per command: `status --watch` reads the stack's outputs once, not every refresh. */
  private operateDeps(): ReturnType<typeof awsOperateDeps> {
    this.deps ??= awsOperateDeps(this.stack);
    return this.deps;
  }

  async launch(campaign: Campaign, options: { customersFile: string; outDir: string; resume: boolean }): Promise<string> {
    const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { SFNClient } = await import('@aws-sdk/client-sfn');
    const { SchedulerClient } = await import('@aws-sdk/client-scheduler');
    const sfn = new SFNClient({});
    const region = await sfn.config.region().catch(() => {
      throw new InvalidArgumentError('no AWS region: set AWS_REGION (or a profile with a region) for --target aws');
    });
    const result = await launchOnAws(
      { cfn: new CloudFormationClient({}), dynamodb: new DynamoDBClient({}), sfn, scheduler: new SchedulerClient({}), region },
      { stackName: this.stack, campaign, ...options },
    ).catch((error: unknown) => {
      if ((error as Error).name === 'CredentialsProviderError')
        throw new InvalidArgumentError(
          'no AWS credentials: use a profile (AWS_PROFILE) or the standard AWS environment variables',
        );
      throw error;
    });
    const bad = result.rejected.filter((r) => r.action === 'rejected').length;
    return [
      `Campaign ${campaign.id} launched on ${this.stack}: ${result.imported} customers imported, ${bad} rows rejected (${options.outDir}/rejected.csv)`,
      `  execution: ${result.executionArn}`,
      `  console:   ${result.consoleUrl}`,
      ...result.reports.map(
        (r) =>
          `  report (${r.name}) scheduled for ${r.localTime} ${r.timeZone}, e-mailed to ${campaign.owner ?? 'nobody (set owner)'}`,
      ),
      `  watch it:  revisit status ${campaign.id} --target aws --stack ${this.stack} --watch`,
    ].join('\n');
  }

  async status(campaignId: string) {
    return statusOfAny(await this.operateDeps(), campaignId);
  }

  async launchProgram(program: Program, options: ProgramLaunchOptions): Promise<string> {
    const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { SFNClient } = await import('@aws-sdk/client-sfn');
    const { launchProgramOnAws } = await import('./aws-launch.js');
    const sfn = new SFNClient({});
    const region = await sfn.config.region().catch(() => {
      throw new InvalidArgumentError('no AWS region: set AWS_REGION (or a profile with a region) for --target aws');
    });
    const dynamodb = new DynamoDBClient({});
    const lines: string[] = [];
    if (options.customersFile) {
      // The customers onto the deployed table's profiles first (the same importer as `customers import`).
      const { importProfilesFile } = await import('../../files/profile-files.js');
      const { dynamoDbProfileStores } = await import('../../functions/adapters/dynamodb/repository.js');
      const { campaignOf } = await import('../../functions/core/programs/schema.js');
      const { stackOutputs } = await import('./aws-launch.js');
      const { tableName } = await stackOutputs(new CloudFormationClient({}), this.stack);
      const imported = await importProfilesFile(
        dynamoDbProfileStores(dynamodb, tableName),
        {
          file: options.customersFile,
          campaign: campaignOf(program, { start: options.from, end: options.from }),
          outDir: options.outDir,
        },
        new Date(),
      );
      lines.push(
        `profiles: ${imported.created} created, ${imported.updated} updated, ${imported.unchanged} unchanged, ${imported.rejected.length} rows rejected (${options.outDir}/rejected.csv)`,
      );
    }
    const result = await launchProgramOnAws(
      { cfn: new CloudFormationClient({}), dynamodb, sfn, region },
      { stackName: this.stack, program, from: options.from, months: options.months },
    );
    return [
      `Program ${program.id} ${result.alreadyRunning ? 'runs already' : 'launched'} on ${this.stack} (${result.outcome}), from ${result.record.from}${result.record.until ? ` until ${result.record.until}` : ', until cancelled'}`,
      ...lines.map((line) => `  ${line}`),
      `  execution: ${result.executionArn}`,
      `  console:   ${result.consoleUrl}`,
      `  watch it:  revisit status ${program.id} --target aws --stack ${this.stack}`,
    ].join('\n');
  }

  async operate(campaignId: string, request: ControlRequest): Promise<{ where: string; result: unknown }> {
    const result = await carryOut(await this.operateDeps(), campaignId, request);
    return { where: `on ${this.stack}`, result };
  }

  async withRecords<T>(_what: string, fn: (deps: OperateDeps) => Promise<T>): Promise<{ where: string; result: T }> {
    return { where: `on ${this.stack}`, result: await fn(await this.operateDeps()) };
  }
}
