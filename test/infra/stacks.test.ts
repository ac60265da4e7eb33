import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { App, type Environment, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/dynamodb/keys.js';
import type { CampaignRepository } from '../../functions/core/ports/index.js';
import { defineRevisit, type RevisitStacks } from '../../infra/revisit-app';
import { type WorkflowName, workflowFile } from '../../infra/workflow-files';

const projectRoot = join(import.meta.dirname, '..', '..');
/** A synthesis takes a few seconds, more on a busy two-core machine than a hook's default 10 s. */
const SYNTH_TIMEOUT_MS = 120_000;

/**
 * The same app `cdk synth` builds: cdk.json's context plus `extra`; assets are staged but not bundled.
 * Environment-agnostic unless `env` is given (the CLI gives one whenever it knows the account).
 */
function synthesize(
  extra: Record<string, unknown> = {},
  env: Environment = {},
): { stacks: RevisitStacks; assembly: CloudAssembly } {
  const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...extra } });
  const stacks = defineRevisit(app, env);
  return { stacks, assembly: app.synth() };
}

/** `${Name}` placeholders of an ASL file. */
function placeholdersOf(name: WorkflowName): string[] {
  const text = readFileSync(workflowFile(name), 'utf8');
  return [...new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

/** What each repository method sends to DynamoDB (functions/adapters/dynamodb/); `Query@gsi1` is the address index. */
const TABLE_CALLS = {
  putCampaign: ['PutItem'],
  deleteCampaign: ['Query', 'BatchWriteItem'],
  getCampaign: ['GetItem'],
  getCampaignStatus: ['GetItem'],
  setCampaignStatus: ['UpdateItem'],
  updateCampaign: ['UpdateItem'],
  putCustomers: ['BatchWriteItem'],
  getCustomer: ['GetItem'],
  listCustomerIds: ['Query', 'Query@gsi1'],
  getLifecycle: ['GetItem'],
  createLifecycle: ['PutItem', 'GetItem'],
  updateLifecycle: ['UpdateItem'],
  claimTouch: ['PutItem', 'UpdateItem', 'GetItem'],
  releaseTouch: ['UpdateItem'],
  markTouchSent: ['UpdateItem'],
  getTouch: ['GetItem'],
  recentTouchesTo: ['Query@gsi1'],
  markTouchUnanswered: ['UpdateItem'],
  recordTouchReply: ['UpdateItem'],
  putReply: ['PutItem'],
  addReplyFollowUp: ['UpdateItem'],
  listReplies: ['Query'],
  claimEscalation: ['PutItem'],
  releaseEscalation: ['UpdateItem'],
  markEscalationSent: ['UpdateItem'],
  isSuppressed: ['GetItem'],
  suppress: ['PutItem'],
  getSuppression: ['GetItem'],
  listCampaignIds: ['Scan'],
  customerRecordsIn: ['GetItem', 'Query'],
  deleteCustomerRecordsIn: ['GetItem', 'Query', 'BatchWriteItem'],
  unmatchedRepliesFrom: ['Query'],
  deleteUnmatchedRepliesFrom: ['Query', 'BatchWriteItem'],
  listLifecycles: ['Query'],
  listTouches: ['Query'],
  listEscalations: ['Query'],
  createTicket: ['PutItem'],
  getTicket: ['GetItem'],
  updateTicket: ['UpdateItem'],
  listTickets: ['Query'],
  touchRecordKey: [],
  ticketRecordKey: [],
} satisfies Record<keyof CampaignRepository, string[]>;

/** Every source file a Lambda entry point bundles from this repository (relative imports, followed). */
function sourcesOf(entry: string, seen = new Set<string>()): Set<string> {
  seen.add(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
    const file = resolve(dirname(entry), `${match[1]}.ts`);
    if (existsSync(file) && !seen.has(file)) sourcesOf(file, seen);
  }
  return seen;
}

/**
 * The DynamoDB calls a function's code can make, read from its sources: every `repo.method(` of every file
 * it bundles (so a use case imported for one helper counts whole: safe side), and the send-rate limiter.
 */
function tableCallsOf(functionName: string): { table: string[]; addressIndex: boolean } {
  const calls = new Set<string>();
  for (const file of sourcesOf(join(projectRoot, 'functions', functionName, 'index.ts'))) {
    for (const [, method = ''] of readFileSync(file, 'utf8').matchAll(/\brepo\.(\w+)\(/g)) {
      const sent = TABLE_CALLS[method as keyof typeof TABLE_CALLS];
      expect(sent, `${file} calls repo.${method}, which TABLE_CALLS does not know`).toBeDefined();
      for (const call of sent) calls.add(call);
    }
    if (file.endsWith('dynamodb/rate-limiter.ts')) calls.add('UpdateItem');
  }
  return { table: [...calls].filter((c) => !c.includes('@')).sort(), addressIndex: calls.has('Query@gsi1') };
}

/** The acknowledgements of validation findings made on `construct` itself: which finding, and the reason written for it. */
function acknowledgementsOn(construct: IConstruct): { path: string; id: string; reason: unknown }[] {
  return construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data)
    .flatMap((entry) =>
      Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
        path: construct.node.path,
        // aws-cdk-lib records annotation-style ids with this prefix; cdk-nag compares without it
        id: id.replace(/^annotation::/i, ''),
        reason,
      })),
    );
}

/** Every acknowledgement anywhere under `scope`. */
function acknowledgementsIn(scope: IConstruct) {
  return scope.node.findAll().flatMap(acknowledgementsOn);
}

/** Acknowledgements whose reason does not explain anything: missing, short, or the finding's id again. */
function acknowledgementsWithoutReason(scope: IConstruct): string[] {
  return acknowledgementsIn(scope)
    .filter(({ id, reason }) => typeof reason !== 'string' || reason.trim().length < 40 || reason.includes(id))
    .map(({ path, id }) => `${path} ${id}`);
}

/**
 * Runs the AwsSolutions checks on `stack` and records which acknowledgement silenced each finding (the
 * nearest construct up the tree that acknowledges its id, as cdk-nag looks for it).
 */
function acknowledgementsUsed(stack: Stack): Set<string> {
  const used = new Set<string>();
  const pack = new AwsSolutionsChecks();
  Object.assign(pack, {
    isAcknowledged(resource: IConstruct, ruleId: string): boolean {
      for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
        if (acknowledgementsOn(current).some((a) => a.id === ruleId)) {
          used.add(`${current.node.path} ${ruleId}`);
          return true;
        }
      }
      return false;
    },
  });
  pack.validateScope(stack);
  return used;
}

const SECRET = ['secretsmanager:DescribeSecret on link secret', 'secretsmanager:GetSecretValue on link secret'];
const SEND_SMS = [
  'sns:Publish on *',
  'sms-voice:SendTextMessage on * if {"StringEquals":{"aws:CalledViaLast":"sns.amazonaws.com"}}',
];
const SEND_EMAIL =
  'ses:SendEmail on configuration set, ses identity/* if {"StringEquals":{"ses:FromAddress":"revisit@example.com"}}';
const RESUME = [
  'states:SendTaskFailure on lifecycle',
  'states:SendTaskHeartbeat on lifecycle',
  'states:SendTaskSuccess on lifecycle',
];

/** What a resource of a function's policy is, by name ("table", "own logs", ...), or its JSON when it is none of them. */
function resourceName(resource: unknown, prefix: string): string {
  const json = JSON.stringify(resource);
  const output = (resource as { 'Fn::GetStackOutput'?: { OutputName: string } })['Fn::GetStackOutput']?.OutputName ?? '';
  const getAtt = (resource as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0] ?? '';
  if (resource === '*') return '*';
  if (/^PublishOutputFnGetAttCampaignsTable\w*Arn/.test(output)) return 'table';
  if (/^PublishOutputFnGetAttCampaignsKey\w*Arn/.test(output)) return 'table key';
  if (/^PublishOutputRefLinkSigningKeySecret/.test(output)) return 'link secret';
  if (/"Fn::GetStackOutput".*CampaignsTable.*"\/index\/gsi1"/.test(json)) return 'gsi1';
  if (getAtt.startsWith(`${prefix}Logs`)) return 'own logs';
  if (getAtt.startsWith(`${prefix}FailedEvents`)) return 'own dead letters';
  if (/^\{"Ref":"WorkflowsLifecycle[0-9A-F]{8}"\}$/.test(json)) return 'lifecycle';
  if (json.includes(':configuration-set/')) return 'configuration set';
  if (json.includes(':identity/*')) return 'ses identity/*';
  return json;
}

/** Every grant of the role of the function whose logical id starts with `prefix`: "action on resource[, resource] [if condition]". */
function grantsOf(template: Template, prefix: string): string[] {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) =>
    new RegExp(`^${prefix}Role[0-9A-F]{8}$`).test(id),
  );
  expect(roles, `${prefix}Role`).toHaveLength(1);
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roles[0] }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
  return statements
    .flatMap((statement) => {
      expect(statement.Effect).toBe('Allow');
      const resources = [statement.Resource]
        .flat()
        .map((r) => resourceName(r, prefix))
        .sort();
      const condition = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : '';
      return [statement.Action].flat().map((action) => `${action} on ${resources.join(', ')}${condition}`);
    })
    .sort();
}

/** What a function's role should hold: its logs and traces, exactly its table calls, the table key, and `extra`. */
function expectedGrants(calls: ReturnType<typeof tableCallsOf>, extra: readonly string[]): string[] {
  const writes = calls.table.some((call) => call === 'PutItem' || call === 'UpdateItem');
  const key = writes
    ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']
    : ['kms:Decrypt', 'kms:DescribeKey'];
  return [
    'logs:CreateLogStream on own logs',
    'logs:PutLogEvents on own logs',
    'xray:PutTelemetryRecords on *',
    'xray:PutTraceSegments on *',
    ...calls.table.map((call) => `dynamodb:${call} on table`),
    ...(calls.addressIndex ? ['dynamodb:Query on gsi1'] : []),
    ...key.map((action) => `${action} on table key`),
    ...extra,
  ];
}

describe('revisit stacks', () => {
  let stacks: RevisitStacks;
  let assembly: CloudAssembly;
  let data: Template;
  let app: Template;

  beforeAll(() => {
    // Prepare
    ({ stacks, assembly } = synthesize());
    data = Template.fromStack(stacks.data);
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

  describe('data stack', () => {
    it('keeps campaigns in an on-demand table with point-in-time recovery, encrypted with its own rotating key', () => {
      data.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
      data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('creates the key schema and index the local engine creates in DynamoDB Local', () => {
      data.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLE_SCHEMA.gsi1.name,
            KeySchema: [
              { AttributeName: TABLE_SCHEMA.gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE_SCHEMA.gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute },
      });
    });

    it('retains the link-signing key, so links already sent keep working after a redeployment', () => {
      data.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } }),
      });
    });
  });

  describe('functions', () => {
    it('runs every handler on Node.js 22, arm64, with active tracing', () => {
      const functions = app.findResources('AWS::Lambda::Function');
      expect(Object.keys(functions)).toHaveLength(8);
      for (const fn of Object.values(functions)) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          MemorySize: 512,
          // StartLifecycles starts a page of 1,000 executions against StartExecution's throttling
          Timeout: fn.Properties.Description === 'revisit start-lifecycles' ? 300 : 30,
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

    it('routes survey pages, replies, unsubscribes, ticket pages and confirmations to reply-api', () => {
      const routes = Object.values(app.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
      expect(routes.sort()).toEqual([
        'GET /c/{token}',
        'GET /s/{token}',
        'GET /t/{token}',
        'GET /u/{token}',
        'POST /c/{token}',
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
        FindCampaigns: ['dynamodb:Scan'],
        TableKey: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        LaunchCampaigns: ['states:StartExecution'],
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

  it('passes the AWS Solutions checks, every exception acknowledged with a reason', () => {
    // Prepare: environment-agnostic (above) and pinned to an account and region, as `cdk synth` does with credentials
    const pinned = synthesize({}, { account: '123456789012', region: 'eu-west-1' }).stacks;

    for (const stack of [stacks.data, stacks.app, pinned.data, pinned.app]) {
      // Act: after synthesis, as `cdk synth` runs the checks (cross-stack references resolved)
      const report = new AwsSolutionsChecks().validateScope(stack);

      // Assess
      const findings = report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources[0]?.constructPath}`);
      expect(findings, `${stack.stackName} in ${stack.region}`).toEqual([]);
    }
  });
});

describe('acknowledged findings', () => {
  let variants: RevisitStacks[];

  beforeAll(() => {
    variants = [
      synthesize().stacks,
      synthesize({}, { account: '123456789012', region: 'eu-west-1' }).stacks,
      synthesize({ sesReplyToAddress: 'replies@in.shop.example' }).stacks,
    ];
  }, SYNTH_TIMEOUT_MS);

  it('writes a reason next to every acknowledged finding', () => {
    for (const stacks of variants) {
      expect(acknowledgementsWithoutReason(stacks.data.node.root)).toEqual([]);
      expect(acknowledgementsIn(stacks.app).length).toBeGreaterThan(0);
    }
  });

  it('tells an acknowledgement without a reason, or with a token one, from one that explains', () => {
    // Prepare
    const stack = new Stack(new App(), 'Check');
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    Validations.of(role).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'needed' },
      { id: 'AwsSolutions-IAM4', reason: '' },
      { id: 'AwsSolutions-L1', reason: 'AwsSolutions-L1 AwsSolutions-L1 AwsSolutions-L1 AwsSolutions-L1' },
      { id: 'AwsSolutions-SF1', reason: 'Nothing here runs a state machine; this reason explains why in enough words.' },
    );

    // Act
    const refused = acknowledgementsWithoutReason(stack);

    // Assess
    expect(refused).toEqual([
      'Check/Role AwsSolutions-IAM5[Resource::*]',
      'Check/Role AwsSolutions-IAM4',
      'Check/Role AwsSolutions-L1',
    ]);
  });

  it('acknowledges only findings that the checks raise: no acknowledgement is left over', () => {
    // Act
    const used = new Set(
      variants.flatMap((stacks) => [stacks.data, stacks.app]).flatMap((stack) => [...acknowledgementsUsed(stack)]),
    );

    // Assess
    const acknowledged = variants.flatMap((stacks) => acknowledgementsIn(stacks.data.node.root)).map((a) => `${a.path} ${a.id}`);
    expect([...new Set(acknowledged)].filter((a) => !used.has(a))).toEqual([]);
  });
});

describe('deployment settings', () => {
  it('sends escalations from escalationFromAddress and SMS from the configured origination number', () => {
    // Prepare
    const { stacks } = synthesize({
      sesFromAddress: 'Revisit <follow-up@shop.example>',
      escalationFromAddress: 'managers@shop.example',
      smsOriginationNumber: '+12065550100',
      sesConfigurationSetName: 'revisit-prod',
    });

    // Act
    const app = Template.fromStack(stacks.app);

    // Assess
    app.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'revisit escalate',
      Environment: { Variables: Match.objectLike({ SES_FROM_ADDRESS: 'managers@shop.example' }) },
    });
    app.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'revisit contact',
      Environment: {
        Variables: Match.objectLike({
          SES_FROM_ADDRESS: 'Revisit <follow-up@shop.example>',
          SMS_ORIGINATION_NUMBER: '+12065550100',
        }),
      },
    });
    app.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ses:SendEmail',
            Condition: { StringEquals: { 'ses:FromAddress': 'follow-up@shop.example' } },
          }),
        ]),
      },
    });
    app.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'revisit-prod' });
  });

  it('refuses an origination number that is not E.164', () => {
    expect(() => synthesize({ smsOriginationNumber: '206-555-0100' })).toThrow(/E\.164/);
  });
});

describe('e-mail replies (sesReplyToAddress)', () => {
  let app: Template;
  let stacks: RevisitStacks;

  beforeAll(() => {
    ({ stacks } = synthesize({ sesReplyToAddress: 'replies@in.shop.example' }));
    app = Template.fromStack(stacks.app);
  }, SYNTH_TIMEOUT_MS);

  it('receives mail to the reply address, scanned, and publishes it whole to an encrypted topic', () => {
    app.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Recipients: ['replies@in.shop.example'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [{ SNSAction: { Encoding: 'UTF-8', TopicArn: Match.anyValue() } }],
      }),
    });
    app.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'revisit inbound e-mail', KmsMasterKeyId: Match.anyValue() });
    const statements = Object.values(app.findResources('AWS::KMS::Key')).flatMap(
      (key) => key.Properties.KeyPolicy.Statement as { Principal?: { Service?: string }; Action?: unknown }[],
    );
    expect(statements.find((s) => s.Principal?.Service === 'ses.amazonaws.com')?.Action).toEqual(
      expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']),
    );
  });

  it('gives inbound-email exactly the calls its code makes, each on its own resource', () => {
    expect(grantsOf(app, 'InboundEmail')).toEqual(
      expectedGrants(tableCallsOf('inbound-email'), [...RESUME, 'sqs:SendMessage on own dead letters']).sort(),
    );
  });

  it('delivers the replies to inbound-email and sets the Reply-To of every customer e-mail', () => {
    app.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: Match.anyValue() });
    app.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: 'revisit inbound-email' }, 1);
    app.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'revisit contact',
      Environment: { Variables: Match.objectLike({ SES_REPLY_TO_ADDRESS: 'replies@in.shop.example' }) },
    });
    app.hasOutput('ReceiptRuleSetName', {});
  });

  it('passes the AWS Solutions checks', () => {
    for (const stack of [stacks.data, stacks.app]) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources[0]?.constructPath}`)).toEqual([]);
    }
  });

  it('creates none of it without a reply address', () => {
    const plain = Template.fromStack(synthesize().stacks.app);

    plain.resourceCountIs('AWS::SES::ReceiptRule', 0);
    plain.resourcePropertiesCountIs('AWS::Lambda::Function', { Description: 'revisit inbound-email' }, 0);
  });

  it('refuses a reply address that is not an e-mail address', () => {
    expect(() => synthesize({ sesReplyToAddress: 'replies' })).toThrow(/sesReplyToAddress/);
  });
});
