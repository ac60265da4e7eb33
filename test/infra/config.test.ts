import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RevisitStacks } from '../../infra/revisit-app';
import { expectedGrants, grantsOf, RESUME, SYNTH_TIMEOUT_MS, synthesize, tableCallsOf } from '../support/stacks.js';

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
