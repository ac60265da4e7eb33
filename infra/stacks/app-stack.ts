import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { RevisitConfig } from '../config';
import { CustomerEvents } from '../constructs/customer-events';
import { ReplyHttpApi } from '../constructs/http-api';
import { Messaging } from '../constructs/messaging';
import { OperatorAccess } from '../constructs/operator-access';
import { RevisitFunction } from '../constructs/revisit-function';
import { Workflows } from '../constructs/workflows';

export interface AppStackProps extends StackProps {
  /** Deployment settings (infra/config.ts). */
  readonly config: RevisitConfig;
  /** The revisit table, from the data stack. */
  readonly table: ITable;
  /** The key the table is encrypted with. */
  readonly tableKey: IKey;
  /** HMAC key of survey, reply and unsubscribe links, from the data stack. */
  readonly linkSigningKey: ISecret;
}

/**
 * Stateless resources: functions, state machines, messaging and the HTTP API. Safe to destroy and
 * redeploy; everything that must survive lives in the data stack.
 */
export class AppStack extends Stack {
  public constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, table, tableKey, linkSigningKey } = props;

    // 1. Functions, each with the table access it needs.
    const plan = new RevisitFunction(this, 'Plan', { name: 'plan' });
    const contact = new RevisitFunction(this, 'Contact', { name: 'contact' });
    const evaluate = new RevisitFunction(this, 'Evaluate', { name: 'evaluate' });
    const escalate = new RevisitFunction(this, 'Escalate', { name: 'escalate' });
    // Starts a page of lifecycles at a time (StartExecution is throttled per account: up to 5 minutes a page).
    const startLifecycles = new RevisitFunction(this, 'StartLifecycles', {
      name: 'start-lifecycles',
      timeout: Duration.minutes(5),
    });
    const inboundSms = new RevisitFunction(this, 'InboundSms', { name: 'inbound-sms', deadLetterQueue: true });
    const replyApi = new RevisitFunction(this, 'ReplyApi', { name: 'reply-api' });
    // The standing programs (issue 16): a page of enrolment or of a day's sweep per invocation (the Task's 300 s).
    const programSweep = new RevisitFunction(this, 'ProgramSweep', { name: 'program-sweep', timeout: Duration.minutes(5) });
    // Customer events from the EventBridge rule (asynchronous: its failures kept in its dead-letter queue) and POST /events.
    const events = new RevisitFunction(this, 'Events', { name: 'events', deadLetterQueue: true });
    // The campaign report (rulebook section 6), e-mailed to the campaign's owner: invoke with {"campaignId": "..."}.
    const report = new RevisitFunction(this, 'Report', { name: 'report' });
    // Exactly the table calls each function's code makes (test/infra derives them from the code and compares).
    const recordsProgress = ['GetItem', 'Query', 'PutItem', 'UpdateItem'] as const;
    for (const fn of [plan, replyApi]) fn.bindTable(table, tableKey, { actions: recordsProgress, addressIndex: true });
    for (const fn of [contact, escalate]) fn.bindTable(table, tableKey, { actions: recordsProgress });
    // PutItem: a no-response downgrade is written onto the customer's profile (issue 16).
    evaluate.bindTable(table, tableKey, { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] });
    inboundSms.bindTable(table, tableKey, { actions: ['GetItem', 'PutItem', 'UpdateItem'], addressIndex: true });
    startLifecycles.bindTable(table, tableKey, { actions: ['GetItem', 'Query'], addressIndex: true });
    report.bindTable(table, tableKey, { actions: ['GetItem', 'Query'] });
    // A program's sweep builds the day's wave (a campaign record and its customers) and moves the due index;
    // an event updates its profile and puts the customer on the due index of every running program.
    const runsPrograms = ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'] as const;
    for (const fn of [programSweep, events]) fn.bindTable(table, tableKey, { actions: runsPrograms, addressIndex: true });

    // 2. Signed links: contact and escalate sign them, reply-api verifies them.
    for (const fn of [contact, escalate, replyApi]) {
      linkSigningKey.grantRead(fn);
      fn.addEnvironment('LINK_SECRET_ARN', linkSigningKey.secretArn);
    }

    // 3. Channels: SMS out and in, e-mail out.
    const messaging = new Messaging(this, 'Messaging', { configurationSetName: config.sesConfigurationSetName });
    messaging.grantSendSms(contact);
    messaging.grantSendEmail(contact, config.sesFromAddress);
    messaging.grantSendEmail(escalate, config.escalationFromAddress);
    messaging.grantSendEmail(report, config.sesFromAddress);
    report.addEnvironment('SES_FROM_ADDRESS', config.sesFromAddress);
    report.addEnvironment('SES_CONFIGURATION_SET', messaging.configurationSet.configurationSetName);
    messaging.subscribeInboundSms(inboundSms);
    // E-mail replies, when an address to receive them is configured.
    let inboundEmail: RevisitFunction | null = null;
    if (config.sesReplyToAddress !== '') {
      inboundEmail = new RevisitFunction(this, 'InboundEmail', { name: 'inbound-email', deadLetterQueue: true });
      inboundEmail.bindTable(table, tableKey, { actions: ['GetItem', 'PutItem', 'UpdateItem'], addressIndex: true });
      const { ruleSet } = messaging.receiveEmailReplies(config.sesReplyToAddress, inboundEmail);
      contact.addEnvironment('SES_REPLY_TO_ADDRESS', config.sesReplyToAddress);
      new CfnOutput(this, 'ReceiptRuleSetName', {
        value: ruleSet.receiptRuleSetName,
        description: 'Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this>',
      });
    }

    // 4. The public HTTP API in front of reply-api; its URL goes into every link.
    const httpApi = new ReplyHttpApi(this, 'HttpApi', { handler: replyApi });
    contact.addEnvironment('SES_FROM_ADDRESS', config.sesFromAddress);
    escalate.addEnvironment('SES_FROM_ADDRESS', config.escalationFromAddress);
    for (const fn of [contact, escalate]) {
      fn.addEnvironment('SES_CONFIGURATION_SET', messaging.configurationSet.configurationSetName);
      fn.addEnvironment('PUBLIC_BASE_URL', httpApi.url);
    }
    // Empty means "not set": the SMS adapter then lets SNS choose the number and omits the sender id.
    contact.addEnvironment('SMS_ORIGINATION_NUMBER', config.smsOriginationNumber);
    contact.addEnvironment('SMS_SENDER_ID', config.smsSenderId);

    // 5. The workflows; replies resume the lifecycle waiting for them.
    const workflows = new Workflows(this, 'Workflows', {
      functions: { plan, contact, evaluate, escalate, startLifecycles, programSweep },
      table,
      tableKey,
    });
    workflows.grantStartLifecycles(startLifecycles);
    workflows.grantTaskCallbacks(replyApi);
    workflows.grantTaskCallbacks(inboundSms);
    if (inboundEmail) workflows.grantTaskCallbacks(inboundEmail);

    // 6. Customer events in: the EventBridge rule and POST /events (IAM-authorized), both to the events function.
    const customerEvents = new CustomerEvents(this, 'CustomerEvents', {
      handler: events,
      httpApi,
      eventBusName: config.eventBusName,
      source: config.eventSource,
    });

    // 7. What operators need: the least-privilege policy of the revisit commands, the report schedules.
    const operator = new OperatorAccess(this, 'Operator', {
      table,
      tableKey,
      campaign: workflows.campaign,
      lifecycle: workflows.lifecycle,
      program: workflows.program,
      report,
    });

    new CfnOutput(this, 'OperatorPolicyArn', {
      value: operator.policy.managedPolicyArn,
      description: 'Attach to the users, groups or roles that run revisit launch|status|pause|resume|cancel|update|customer',
    });
    new CfnOutput(this, 'ReportFunctionArn', { value: report.functionArn });
    new CfnOutput(this, 'ReportScheduleGroupName', { value: operator.reportSchedules.scheduleGroupName });
    new CfnOutput(this, 'ReportScheduleRoleArn', { value: operator.reportScheduleRole.roleArn });
    new CfnOutput(this, 'HttpApiUrl', { value: httpApi.url, description: 'Base URL of survey, reply and unsubscribe links' });
    new CfnOutput(this, 'CampaignStateMachineArn', {
      value: workflows.campaign.stateMachineArn,
      description:
        'Start one execution per campaign launch (revisit launch does): {"campaignId": "...", "cursor": null, "day": null}',
    });
    new CfnOutput(this, 'LifecycleStateMachineArn', { value: workflows.lifecycle.stateMachineArn });
    new CfnOutput(this, 'ProgramStateMachineArn', {
      value: workflows.program.stateMachineArn,
      description:
        'One execution per standing program (revisit launch --program does): {"programId": "...", "day": "YYYY-MM-DD", "cursor": null, "enrol": true}',
    });
    new CfnOutput(this, 'EventsUrl', {
      value: customerEvents.url,
      description: 'POST a JSON list of customer events (at most 100), signed with SigV4 (IAM authorization)',
    });
    new CfnOutput(this, 'EventsRouteArn', {
      value: Stack.of(this).formatArn({
        service: 'execute-api',
        resource: httpApi.api.apiId,
        resourceName: '*/POST/events',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
      description: 'Allow execute-api:Invoke on this to the systems that POST /events',
    });
    new CfnOutput(this, 'EventBusName', {
      value: customerEvents.bus.eventBusName,
      description: `Put customer events here with source "${config.eventSource}" and detail-type "Customer Event"`,
    });
    new CfnOutput(this, 'EventSource', { value: config.eventSource });
    new CfnOutput(this, 'UndeliveredEventsQueueUrl', {
      value: customerEvents.undelivered.queueUrl,
      description: 'Customer events EventBridge could not deliver to the events function',
    });
    new CfnOutput(this, 'FailedEventsQueueUrl', {
      value: events.failedEvents?.queueUrl ?? '',
      description: 'Customer events from EventBridge whose processing failed every retry (the events function)',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'ReportFunctionName', {
      value: report.functionName,
      description: 'Invoke with {"campaignId": "..."} to e-mail the campaign report to its owner',
    });
    new CfnOutput(this, 'InboundSmsTopicArn', {
      value: messaging.inboundSms.topicArn,
      description: 'Set as the two-way SMS destination of the origination number',
    });
  }
}
