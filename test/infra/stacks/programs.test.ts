import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_EVENT_DETAIL_TYPE } from '../../../functions/events/contract.js';
import type { RevisitStacks } from '../../../infra/revisit-app';
import { workflowFile } from '../../../infra/workflow-files';
import { placeholdersOf, SYNTH_TIMEOUT_MS, synthesize } from '../../support/stacks.js';

/** The standing programs' resources (issue 16): the program state machine, the sweep, and customer events in. */

let stacks: RevisitStacks;
let assembly: CloudAssembly;
let app: Template;

beforeAll(() => {
  // Prepare
  ({ stacks, assembly } = synthesize());
  app = Template.fromStack(stacks.app);
}, SYNTH_TIMEOUT_MS);

function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0] ?? '';
}

function statementsOf(rolePrefix: string): Record<string, unknown>[] {
  const role = logicalId(app, 'AWS::IAM::Role', rolePrefix);
  return Object.values(app.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const functionArn = (prefix: string) => ({ 'Fn::GetAtt': [logicalId(app, 'AWS::Lambda::Function', prefix), 'Arn'] });

describe('the program state machine', () => {
  it('is a Standard workflow named after the stack that logs errors without execution data', () => {
    const id = logicalId(app, 'AWS::StepFunctions::StateMachine', 'WorkflowsProgram');
    expect(app.toJSON().Resources[id].Properties).toMatchObject({
      StateMachineName: 'Revisit-program',
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('loads workflows/program.asl.json with the sweep and StartLifecycles functions substituted', () => {
    // Prepare
    const id = logicalId(app, 'AWS::StepFunctions::StateMachine', 'WorkflowsProgram');
    const properties = app.toJSON().Resources[id].Properties;
    const manifest = JSON.parse(readFileSync(join(assembly.directory, `${stacks.app.artifactId}.assets.json`), 'utf8')) as {
      files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
    };

    // Act
    const asset = Object.values(manifest.files).find((file) =>
      Object.values(file.destinations).some((d) => d.objectKey === properties.DefinitionS3Location.Key),
    );

    // Assess
    expect(readFileSync(join(assembly.directory, asset?.source.path ?? ''), 'utf8')).toBe(
      readFileSync(workflowFile('program'), 'utf8'),
    );
    expect(Object.keys(properties.DefinitionSubstitutions).sort()).toEqual(placeholdersOf('program'));
    expect(properties.DefinitionSubstitutions).toEqual({
      ProgramSweepFunctionArn: functionArn('ProgramSweep'),
      StartLifecyclesFunctionArn: functionArn('StartLifecycles'),
    });
  });

  it('may invoke only its two functions, and start only its own next execution (renewal)', () => {
    const statements = statementsOf('WorkflowsProgramRole');

    const invoke = statements.find((statement) => statement.Action === 'lambda:InvokeFunction');
    expect(invoke?.Resource).toEqual([functionArn('ProgramSweep'), functionArn('StartLifecycles')]);
    const start = statements.filter((statement) => [statement.Action].flat().some((a) => String(a).startsWith('states:')));
    expect(start).toHaveLength(1);
    expect(start[0]?.Action).toBe('states:StartExecution');
    expect(JSON.stringify(start[0]?.Resource)).toMatch(/:states:.*:stateMachine:Revisit-program"\]\]\}$/);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => String(a).startsWith('dynamodb:'))).toEqual([]);
  });

  it('gives the sweep the table (with TABLE_NAME), the batched due-index writes and the index, and nothing else', () => {
    const id = logicalId(app, 'AWS::Lambda::Function', 'ProgramSweep');
    expect(app.toJSON().Resources[id].Properties.Environment.Variables.TABLE_NAME).toBeDefined();
    const actions = statementsOf('ProgramSweepRole').flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(actions.filter((a) => a.startsWith('states:') || a.startsWith('sns:') || a.startsWith('ses:'))).toEqual([]);
  });
});

describe('customer events in', () => {
  it('matches the documented source and detail-type on the default bus, to the events function', () => {
    app.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['revisit.customers'], 'detail-type': [CUSTOMER_EVENT_DETAIL_TYPE] },
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: functionArn('Events'),
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(app, 'AWS::SQS::Queue', 'CustomerEventsUndelivered'), 'Arn'] } },
        }),
      ],
    });
    const [rule] = Object.values(app.findResources('AWS::Events::Rule'));
    // No EventBusName: the account's default bus.
    expect(rule?.Properties.EventBusName ?? 'default').toBe('default');
    app.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: functionArn('Events'),
    });
  });

  it('keeps undelivered events in an encrypted queue only the rule may write to, and failed ones in the function DLQ', () => {
    const undelivered = logicalId(app, 'AWS::SQS::Queue', 'CustomerEventsUndelivered');
    expect(app.toJSON().Resources[undelivered].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    app.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: undelivered }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: {
                'aws:SourceArn': { 'Fn::GetAtt': [logicalId(app, 'AWS::Events::Rule', 'CustomerEventsRule'), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
    const events = logicalId(app, 'AWS::Lambda::Function', 'Events');
    expect(app.toJSON().Resources[events].Properties.DeadLetterConfig).toEqual({
      TargetArn: { 'Fn::GetAtt': [logicalId(app, 'AWS::SQS::Queue', 'EventsFailedEvents'), 'Arn'] },
    });
  });

  it('listens on a named bus, for a configured source, when told to', () => {
    const named = Template.fromStack(synthesize({ eventBusName: 'shop-events', eventSource: 'shop.orders' }).stacks.app);

    named.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'shop-events',
      EventPattern: { source: ['shop.orders'], 'detail-type': [CUSTOMER_EVENT_DETAIL_TYPE] },
    });
    named.hasOutput('EventBusName', { Value: 'shop-events' });
  });

  it('refuses an aws. source, which only AWS services send', () => {
    expect(() => synthesize({ eventSource: 'aws.orders' })).toThrow(/not start with "aws\."/);
  });

  it('serves POST /events with IAM authorization only, to the events function', () => {
    const routes = app.findResources('AWS::ApiGatewayV2::Route');
    const events = Object.values(routes).find((route) => route.Properties.RouteKey === 'POST /events');
    expect(events?.Properties.AuthorizationType).toBe('AWS_IAM');
    const integrationId = String(events?.Properties.Target['Fn::Join'][1][1].Ref);
    expect(app.toJSON().Resources[integrationId].Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: functionArn('Events'),
      PayloadFormatVersion: '2.0',
    });
    // Every other route is reply-api's, whose requests carry signed link tokens.
    for (const route of Object.values(routes).filter((r) => r.Properties.RouteKey !== 'POST /events')) {
      expect(route.Properties.AuthorizationType ?? 'NONE', route.Properties.RouteKey).toBe('NONE');
    }
  });

  it('publishes the program state machine, the events URL and route ARN, and the bus', () => {
    app.hasOutput('ProgramStateMachineArn', {
      Value: { Ref: logicalId(app, 'AWS::StepFunctions::StateMachine', 'WorkflowsProgram') },
    });
    app.hasOutput('EventsUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    expect(JSON.stringify(app.toJSON().Outputs.EventsUrl.Value)).toMatch(/\/events"\]\]\}$/);
    expect(JSON.stringify(app.toJSON().Outputs.EventsRouteArn.Value)).toContain('/*/POST/events');
    app.hasOutput('EventBusName', { Value: 'default' });
    app.hasOutput('EventSource', { Value: 'revisit.customers' });
  });
});

describe('operators and programs', () => {
  it('may start the program state machine and describe and stop its executions, and may not put events', () => {
    const [policy] = Object.values(app.findResources('AWS::IAM::ManagedPolicy'));
    const statements: { Sid: string; Action: string | string[]; Resource: unknown }[] =
      policy?.Properties.PolicyDocument.Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    const program = logicalId(app, 'AWS::StepFunctions::StateMachine', 'WorkflowsProgram');

    expect(bySid.LaunchPrograms?.Resource).toEqual({ Ref: program });
    for (const sid of ['WatchLaunches', 'CancelLifecycles']) {
      expect(JSON.stringify(bySid[sid]?.Resource), sid).toContain(`"${program}","Name"`);
    }
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('events:PutEvents');
  });
});
