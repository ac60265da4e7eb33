import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ConfigurationSet, ReceiptRuleSet, SuppressionReasons, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { EmailEncoding, Sns } from 'aws-cdk-lib/aws-ses-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { emailAddressOf } from '../config';
import { acknowledgeWildcardResource } from '../nag';

export interface MessagingProps {
  /**
   * Name of the SES v2 configuration set that every e-mail is sent through.
   * @default 'revisit'
   */
  readonly configurationSetName?: string;
}

/**
 * The channels: SMS out through SNS, SMS replies in through the InboundSms topic (published by a
 * two-way enabled origination number of AWS End User Messaging SMS), e-mail out through SES v2.
 */
export class Messaging extends Construct {
  /** Encrypts the InboundSms topic. */
  public readonly topicKey: Key;
  /** Where the origination number publishes inbound SMS; point its two-way SMS setting here. */
  public readonly inboundSms: Topic;
  public readonly configurationSet: ConfigurationSet;

  public constructor(scope: Construct, id: string, props: MessagingProps = {}) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const smsVoice = new ServicePrincipal('sms-voice.amazonaws.com');
    const fromThisAccountsNumbers = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:sms-voice:${region}:${account}:*` },
    };

    this.topicKey = new Key(this, 'TopicKey', {
      description: 'revisit InboundSms topic: customer replies by SMS',
      enableKeyRotation: true,
    });
    // End User Messaging SMS encrypts what it publishes to an encrypted topic with this key.
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [smsVoice],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromThisAccountsNumbers,
      }),
    );

    this.inboundSms = new Topic(this, 'InboundSms', {
      displayName: 'revisit inbound SMS',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.inboundSms.addToResourcePolicy(
      new PolicyStatement({
        principals: [smsVoice],
        actions: ['sns:Publish'],
        resources: [this.inboundSms.topicArn],
        conditions: fromThisAccountsNumbers,
      }),
    );

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName ?? 'revisit',
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
  }

  /**
   * Receives customers' replies to the e-mails at `address` (SES receiving, in the regions that offer it):
   * a receipt rule scans each message for spam and viruses and publishes it, whole, to the encrypted
   * InboundEmail topic, which delivers it to `handler`. Returns the rule set, which must be made the
   * active one (`aws ses set-active-receipt-rule-set`): CloudFormation cannot activate it.
   */
  public receiveEmailReplies(address: string, handler: IFunction): { ruleSet: ReceiptRuleSet; topic: Topic } {
    // SES encrypts what it publishes to the encrypted topic with the topic's key.
    const { account } = Stack.of(this);
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    const topic = new Topic(this, 'InboundEmail', {
      displayName: 'revisit inbound e-mail',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    topic.addSubscription(new LambdaSubscription(handler));
    const ruleSet = new ReceiptRuleSet(this, 'ReceiptRules');
    ruleSet.addRule('Replies', {
      recipients: [emailAddressOf(address)],
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      actions: [new Sns({ topic, encoding: EmailEncoding.UTF8 })],
    });
    return { ruleSet, topic };
  }

  /** Delivers every inbound SMS to `handler`. */
  public subscribeInboundSms(handler: IFunction): void {
    this.inboundSms.addSubscription(new LambdaSubscription(handler));
  }

  /**
   * Lets `grantee` send SMS straight to phone numbers (SNS Publish with PhoneNumber). SNS hands the message to
   * AWS End User Messaging SMS, which is why SendTextMessage is allowed too, but only when SNS makes the call.
   */
  public grantSendSms(grantee: IFunction): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:CalledViaLast': 'sns.amazonaws.com' } },
      }),
    );
    Validations.of(grantee.role ?? grantee).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'SMS to phone numbers cannot be scoped to a topic ARN: resource "*" is unavoidable for direct-to-phone publish ' +
        '(and for the sms-voice:SendTextMessage that SNS makes on its behalf, allowed only via SNS).',
    });
  }

  /**
   * Lets `grantee` send e-mail (SES v2 SendEmail) from `fromAddress` through the configuration set.
   *
   * The identity resource is `identity/*` because, while the account is in the SES sandbox, SES also
   * authorizes the recipient identities; the `ses:FromAddress` condition still pins the sender.
   */
  public grantSendEmail(grantee: IFunction, fromAddress: string): void {
    const stack = Stack.of(this);
    const anyIdentity = stack.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
    const configurationSet = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [anyIdentity, configurationSet],
        conditions: { StringEquals: { 'ses:FromAddress': emailAddressOf(fromAddress) } },
      }),
    );
    acknowledgeWildcardResource(
      grantee.role ?? grantee,
      anyIdentity,
      'In the SES sandbox, SendEmail is authorized against the recipient identities as well as the sender, so the identities ' +
        'cannot be listed in advance; the ses:FromAddress condition restricts sending to the configured from address.',
    );
  }
}
