import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RevisitStacks } from '../../../infra/revisit-app';
import { workflowFile } from '../../../infra/workflow-files';
import {
  expectedGrants,
  grantsOf,
  placeholdersOf,
  RESUME,
  resourceName,
  SECRET,
  SEND_EMAIL,
  SEND_SMS,
  SYNTH_TIMEOUT_MS,
  synthesize,
  tableCallsOf,
} from '../../support/stacks.js';

describe('revisit stacks', () => {
  let stacks: RevisitStacks;
  let assembly: CloudAssembly;
  let app: Template;

  beforeAll(() => {
    // Prepare
    ({ stacks, assembly } = synthesize());
    app = Template.fromStack(stacks.app);
  }, SYNTH_TIMEOUT_MS);

  /** The logical id of the one resource of `type` whose id starts with `prefix`. */
  function logicalId(template: Template, type: string, prefix: string): string {
    const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
    expect(ids, `${type} ${prefix}*`).toHaveLength(1);
    return ids[0] ?? '';
  }

  /** Every statement of the policies attached to the one role whose logical id starts with `rolePrefix`. */
  function statementsOf(rolePrefix: string): Record<string, unknown>[] {
    const role = logicalId(app, 'AWS::IAM::Role', rolePrefix);
    return Object.values(app.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  }

  /** The file CloudFormation will read a state machine's definition from, as staged in the cloud assembly. */
  function stagedDefinition(stack: Stack, statemachinePrefix: string): { text: string; substitutions: string[] } {
    const template = Template.fromStack(stack);
    const id = logicalId(template, 'AWS::StepFunctions::StateMachine', statemachinePrefix);
    const properties = template.toJSON().Resources[id].Properties;
    const objectKey: string = properties.DefinitionS3Location.Key;
    const manifest = JSON.parse(readFileSync(join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
    };
    const asset = Object.values(manifest.files).find((file) =>
      Object.values(file.destinations).some((destination) => destination.objectKey === objectKey),
    );
    expect(asset, `asset for ${objectKey}`).toBeDefined();
    return {
      text: readFileSync(join(assembly.directory, asset?.source.path ?? ''), 'utf8'),
      substitutions: Object.keys(properties.DefinitionSubstitutions).sort(),
    };
  }

  describe('functions', () => {
    it('runs every handler on Node.js 22, arm64, with active tracing', () => {
      const functions = app.findResources('AWS::Lambda::Function');
      expect(Object.keys(functions)).toHaveLength(10);
      // StartLifecycles starts a page of 1,000 executions against StartExecution's throttling; ProgramSweep
      // claims a page of 200 customers' touches: both within their Task's TimeoutSeconds (300)
      const fiveMinutes = ['revisit start-lifecycles', 'revisit program-sweep'];
      for (const fn of Object.values(functions)) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          MemorySize: 512,
          Timeout: fiveMinutes.includes(fn.Properties.Description) ? 300 : 30,
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'revisit', NODE_OPTIONS: '--enable-source-maps' } },
        });
        expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
      }
    });

    it('gives the senders their SES settings, the public URL and the link key', () => {
      for (const prefix of ['Contact', 'Escalate']) {
        const id = logicalId(app, 'AWS::Lambda::Function', prefix);
        expect(app.toJSON().Resources[id].Properties.Environment.Variables).toMatchObject({
          SES_FROM_ADDRESS: 'revisit@example.com',
          SES_CONFIGURATION_SET: expect.anything(),
          PUBLIC_BASE_URL: expect.anything(),
          LINK_SECRET_ARN: expect.anything(),
        });
      }
      app.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'revisit contact',
        Environment: { Variables: Match.objectLike({ SMS_ORIGINATION_NUMBER: '', SMS_SENDER_ID: 'REVISIT' }) },
      });
    });

    it('lets contact alone send SMS, and contact and escalate send e-mail only from their configured address', () => {
      const actionsOf = (rolePrefix: string) => statementsOf(rolePrefix).flatMap((statement) => statement.Action);
      expect(actionsOf('ContactRole')).toContain('sns:Publish');
      for (const rolePrefix of [
        'PlanRole',
        'EvaluateRole',
        'EscalateRole',
        'StartLifecyclesRole',
        'InboundSmsRole',
        'ReplyApiRole',
        'ProgramSweepRole',
        'EventsRole',
      ]) {
        expect(actionsOf(rolePrefix), rolePrefix).not.toContain('sns:Publish');
      }
      for (const rolePrefix of ['ContactRole', 'EscalateRole']) {
        expect(statementsOf(rolePrefix), rolePrefix).toContainEqual(
          expect.objectContaining({
            Action: 'ses:SendEmail',
            Condition: { StringEquals: { 'ses:FromAddress': 'revisit@example.com' } },
          }),
        );
      }
    });

    it.each([
      ['plan', 'Plan', []],
      ['contact', 'Contact', [...SECRET, ...SEND_SMS, SEND_EMAIL]],
      ['evaluate', 'Evaluate', []],
      ['escalate', 'Escalate', [...SECRET, SEND_EMAIL]],
      ['start-lifecycles', 'StartLifecycles', ['states:StartExecution on lifecycle']],
      ['inbound-sms', 'InboundSms', [...RESUME, 'sqs:SendMessage on own dead letters']],
      ['reply-api', 'ReplyApi', [...SECRET, ...RESUME]],
      ['report', 'Report', [SEND_EMAIL]],
      ['program-sweep', 'ProgramSweep', []],
      ['events', 'Events', ['sqs:SendMessage on own dead letters']],
    ])('gives %s exactly the calls its code makes, each on its own resource', (name, prefix, extra) => {
      // Prepare: the table calls its code can make
      const calls = tableCallsOf(name);

      // Act
      const granted = grantsOf(app, prefix);

      // Assess
      expect(granted).toEqual(expectedGrants(calls, extra).sort());
    });

    it('lets reply-api and inbound-sms resume a waiting lifecycle', () => {
      const lifecycle = logicalId(app, 'AWS::StepFunctions::StateMachine', 'WorkflowsLifecycle');
      for (const rolePrefix of ['ReplyApiRole', 'InboundSmsRole']) {
        expect(statementsOf(rolePrefix), rolePrefix).toContainEqual(
          expect.objectContaining({
            Effect: 'Allow',
            Action: expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']),
            Resource: { Ref: lifecycle },
          }),
        );
      }
    });
  });

  describe('workflows', () => {
    it('deploys both state machines as Standard workflows that log errors without execution data', () => {
      for (const prefix of ['WorkflowsLifecycle', 'WorkflowsCampaign']) {
        const id = logicalId(app, 'AWS::StepFunctions::StateMachine', prefix);
        expect(app.toJSON().Resources[id].Properties).toMatchObject({
          StateMachineType: 'STANDARD',
          LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
          TracingConfiguration: { Enabled: true },
        });
      }
    });

    it('loads the lifecycle definition from the same ASL file the local engine runs', () => {
      const deployed = stagedDefinition(stacks.app, 'WorkflowsLifecycle');

      expect(deployed.text).toBe(readFileSync(workflowFile('lifecycle'), 'utf8'));
      expect(deployed.substitutions).toEqual(placeholdersOf('lifecycle'));
      expect(deployed.substitutions).toEqual([
        'ContactFunctionArn',
        'EscalateFunctionArn',
        'EvaluateFunctionArn',
        'PlanFunctionArn',
        'TableName',
      ]);
    });

    it('loads the campaign definition from the same ASL file the local engine runs', () => {
      const deployed = stagedDefinition(stacks.app, 'WorkflowsCampaign');

      expect(deployed.text).toBe(readFileSync(workflowFile('campaign'), 'utf8'));
      expect(deployed.substitutions).toEqual(placeholdersOf('campaign'));
      expect(deployed.substitutions).toEqual(['StartLifecyclesFunctionArn']);
    });

    it('lets the lifecycle park task tokens and record failures on the table, and invoke its four functions', () => {
      const statements = statementsOf('WorkflowsLifecycleRole');

      expect(statements).toContainEqual({
        Action: 'dynamodb:UpdateItem',
        Effect: 'Allow',
        Resource: {
          'Fn::GetStackOutput': expect.objectContaining({
            StackName: 'RevisitData',
            OutputName: expect.stringMatching(/Table.*Arn/),
          }),
        },
      });
      const invoke = statements.find((statement) => statement.Action === 'lambda:InvokeFunction');
      const invoked = ((invoke?.Resource ?? []) as { 'Fn::GetAtt': [string, string] }[]).map((arn) => arn['Fn::GetAtt'][0]);
      expect(invoked.sort()).toEqual(
        ['Plan', 'Contact', 'Evaluate', 'Escalate'].map((prefix) => logicalId(app, 'AWS::Lambda::Function', prefix)).sort(),
      );
    });

    it('lets a campaign only invoke StartLifecycles, and StartLifecycles only start lifecycles', () => {
      const statements = statementsOf('WorkflowsCampaignRole');
      const actions = statements.flatMap((statement) => statement.Action);
      expect(actions).toContain('lambda:InvokeFunction');
      expect(actions.filter((action) => String(action).startsWith('states:'))).toEqual([]);
      const invoke = statements.find((statement) => statement.Action === 'lambda:InvokeFunction');
      expect(invoke?.Resource).toEqual({ 'Fn::GetAtt': [logicalId(app, 'AWS::Lambda::Function', 'StartLifecycles'), 'Arn'] });
      const id = logicalId(app, 'AWS::Lambda::Function', 'StartLifecycles');
      expect(app.toJSON().Resources[id].Properties.Environment.Variables.LIFECYCLE_STATE_MACHINE_ARN).toEqual({
        Ref: logicalId(app, 'AWS::StepFunctions::StateMachine', 'WorkflowsLifecycle'),
      });
    });
  });

  describe('messaging and HTTP API', () => {
    it('encrypts the inbound SMS topic with a customer managed key and lets End User Messaging SMS publish to it', () => {
      app.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      app.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'sms-voice.amazonaws.com' }, Effect: 'Allow' }),
          ]),
        },
      });
      app.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
    });

    it('encrypts every topic with a customer managed key of the stack that rotates', () => {
      const keys = app.findResources('AWS::KMS::Key');
      const topics = Object.values(app.findResources('AWS::SNS::Topic'));
      expect(topics.length).toBeGreaterThan(0);
      for (const topic of topics) {
        const [key] = topic.Properties.KmsMasterKeyId['Fn::GetAtt'] as [string, string];
        expect(keys[key]?.Properties).toMatchObject({ EnableKeyRotation: true });
      }
    });

    it('sends e-mail through the configuration set named in context', () => {
      app.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'revisit' });
    });

    it('serves survey pages, replies, unsubscribes, ticket pages, confirmations and events, and nothing else', () => {
      const routes = Object.values(app.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
      expect(routes.sort()).toEqual([
        'GET /c/{token}',
        'GET /s/{token}',
        'GET /t/{token}',
        'GET /u/{token}',
        'POST /c/{token}',
        'POST /events',
        'POST /replies',
        'POST /s/{token}',
        'POST /t/{token}',
        'POST /u/{token}',
      ]);
      app.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
      });
    });

    it('publishes the outputs a deployment needs', () => {
      for (const output of [
        'HttpApiUrl',
        'CampaignStateMachineArn',
        'LifecycleStateMachineArn',
        'TableName',
        'InboundSmsTopicArn',
      ]) {
        app.hasOutput(output, {});
      }
    });
  });

  it('e-mails the campaign report from a function that may only read the table and send from the sender address', () => {
    app.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'revisit report',
      Environment: { Variables: Match.objectLike({ SES_FROM_ADDRESS: 'revisit@example.com' }) },
    });
    const actions = statementsOf('ReportRole').flatMap((s) => [s.Action].flat() as string[]);
    expect(actions).toContain('ses:SendEmail');
    expect(actions.filter((a) => a.startsWith('dynamodb:') && /Put|Update|Delete|Write/.test(a))).toEqual([]);
    app.hasOutput('ReportFunctionName', {});
  });

  describe('operators', () => {
    /** The statements of the operator's managed policy, by Sid. */
    type Statement = { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
    /** The statements of the operator's managed policy, by Sid. */
    function operatorStatements(): Record<string, Statement> {
      const policies = Object.values(app.findResources('AWS::IAM::ManagedPolicy'));
      expect(policies).toHaveLength(1);
      const statements: Statement[] = policies[0]?.Properties.PolicyDocument.Statement ?? [];
      return Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    }

    it('gives operators one managed policy with exactly the calls the revisit commands make', () => {
      app.hasResourceProperties('AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'Revisit-operator' });
      const statements = operatorStatements();

      expect(Object.fromEntries(Object.entries(statements).map(([sid, s]) => [sid, [s.Action].flat().sort()]))).toEqual({
        ReadStackOutputs: ['cloudformation:DescribeStacks'],
        CampaignRecords: [
          'dynamodb:BatchWriteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        CustomerEvents: ['dynamodb:Query'],
        FindCampaigns: ['dynamodb:Scan'],
        TableKey: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        LaunchCampaigns: ['states:StartExecution'],
        LaunchPrograms: ['states:StartExecution'],
        WatchLaunches: ['states:DescribeExecution'],
        WakeHeldLifecycles: ['states:SendTaskSuccess'],
        CancelLifecycles: ['states:StopExecution'],
        ScheduleReports: ['scheduler:CreateSchedule'],
        PassReportScheduleRole: ['iam:PassRole'],
      });
    });

    it("scopes every operator statement to this stack's own resources", () => {
      const statements = operatorStatements();
      const campaign = logicalId(app, 'AWS::StepFunctions::StateMachine', 'WorkflowsCampaign');
      const lifecycle = logicalId(app, 'AWS::StepFunctions::StateMachine', 'WorkflowsLifecycle');

      expect(statements.ReadStackOutputs?.Resource).toEqual({ Ref: 'AWS::StackId' });
      expect(statements.LaunchCampaigns?.Resource).toEqual({ Ref: campaign });
      expect(statements.WakeHeldLifecycles?.Resource).toEqual({ Ref: lifecycle });
      expect(JSON.stringify(statements.WatchLaunches?.Resource)).toContain(`"${campaign}","Name"`);
      expect(JSON.stringify(statements.CancelLifecycles?.Resource)).toContain(`"${lifecycle}","Name"`);
      expect(JSON.stringify(statements.ScheduleReports?.Resource)).toContain(':schedule/Revisit-reports/*');
      expect(statements.PassReportScheduleRole?.Condition).toEqual({
        StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
      });
      for (const sid of ['CampaignRecords', 'FindCampaigns']) {
        expect(resourceName(statements[sid]?.Resource, 'Operator'), sid).toBe('table');
      }
      expect(resourceName(statements.TableKey?.Resource, 'Operator')).toBe('table key');
      expect(JSON.stringify(statements.CustomerEvents?.Resource)).toMatch(/"\/index\/gsi1"\]/);
      for (const statement of Object.values(statements)) expect(statement.Resource).not.toBe('*');
    });

    it('lets the customer commands scan the table for its campaigns, reading nothing but the keys', () => {
      expect(operatorStatements().FindCampaigns?.Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk'] },
        StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
      });
    });

    it('lets EventBridge Scheduler, for this account only, invoke the report function and nothing else', () => {
      app.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Revisit-reports' });
      app.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ],
        },
      });
      expect(statementsOf('OperatorReportScheduleRole')).toEqual([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': [logicalId(app, 'AWS::Lambda::Function', 'Report'), 'Arn'] },
        },
      ]);
      for (const output of ['OperatorPolicyArn', 'ReportFunctionArn', 'ReportScheduleGroupName', 'ReportScheduleRoleArn']) {
        app.hasOutput(output, {});
      }
    });
  });
});
