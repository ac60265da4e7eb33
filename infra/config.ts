import type { Node } from 'constructs';

/**
 * Deployment settings, read once from CDK context (`cdk.json`, or `cdk deploy -c key=value`).
 * Every key is optional; the defaults below make `cdk synth` work with no configuration at all.
 */
export interface RevisitConfig {
  /**
   * Deployment stage, carried as the `stage` tag on every resource.
   * Context key `stage`.
   * @default 'dev'
   */
  readonly stage: string;
  /**
   * Sender of the follow-up e-mails: a verified SES identity (the address or its domain).
   * `Name <address>` is accepted. Context key `sesFromAddress`.
   * @default 'revisit@example.com'
   */
  readonly sesFromAddress: string;
  /**
   * Name of the SES v2 configuration set every e-mail is sent through (created by the stack).
   * Context key `sesConfigurationSetName`.
   * @default 'revisit'
   */
  readonly sesConfigurationSetName: string;
  /**
   * Two-way enabled origination number (E.164) that sends the SMS, so replies reach the
   * InboundSms topic. Empty means SNS picks a number and replies cannot be matched.
   * Context key `smsOriginationNumber`.
   * @default '' (none)
   */
  readonly smsOriginationNumber: string;
  /**
   * Alphanumeric sender id, for the countries that support one.
   * Context key `smsSenderId`.
   * @default 'REVISIT'
   */
  readonly smsSenderId: string;
  /**
   * Sender of the escalation e-mails to account managers.
   * Context key `escalationFromAddress`.
   * @default the value of `sesFromAddress`
   */
  readonly escalationFromAddress: string;
  /**
   * Address customers' e-mail replies go to (Reply-To), received by SES and read like SMS replies.
   * Needs a region with SES receiving and an MX record for its domain. Empty means no e-mail replies.
   * Context key `sesReplyToAddress`.
   * @default '' (none)
   */
  readonly sesReplyToAddress: string;
  /**
   * The EventBridge bus customer events arrive on: `default` (the account's default bus) or the name of a
   * bus that exists already in the account and region (the senders' own). Context key `eventBusName`.
   * @default 'default'
   */
  readonly eventBusName: string;
  /**
   * The `source` of customer events the rule matches (their `detail-type` is always `Customer Event`).
   * Not `aws.`-prefixed: those sources are AWS's own. Context key `eventSource`.
   * @default 'revisit.customers'
   */
  readonly eventSource: string;
}

function stringContext(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`context key "${key}" must be a string, got ${typeof value}`);
  return value.trim();
}

function requireEmail(key: string, value: string): string {
  if (!/^[^@\s<>]+@[^@\s<>]+$/.test(emailAddressOf(value))) {
    throw new Error(`context key "${key}" must be an e-mail address (optionally "Name <address>"), got "${value}"`);
  }
  return value;
}

/** The bare address of `Name <address>` or of `address`. */
export function emailAddressOf(value: string): string {
  return (/<([^>]+)>\s*$/.exec(value)?.[1] ?? value).trim();
}

/** Reads and checks the deployment settings; throws at synth time on a malformed value. */
export function readConfig(node: Node): RevisitConfig {
  const sesFromAddress = requireEmail('sesFromAddress', stringContext(node, 'sesFromAddress') || 'revisit@example.com');
  const escalationFromAddress = requireEmail(
    'escalationFromAddress',
    stringContext(node, 'escalationFromAddress') || sesFromAddress,
  );
  const smsOriginationNumber = stringContext(node, 'smsOriginationNumber') ?? '';
  if (smsOriginationNumber !== '' && !/^\+[1-9]\d{1,14}$/.test(smsOriginationNumber)) {
    throw new Error(
      `context key "smsOriginationNumber" must be an E.164 number such as +12065550100, got "${smsOriginationNumber}"`,
    );
  }
  const replyTo = stringContext(node, 'sesReplyToAddress') ?? '';
  const sesReplyToAddress = replyTo === '' ? '' : requireEmail('sesReplyToAddress', replyTo);
  const eventBusName = stringContext(node, 'eventBusName') || 'default';
  if (!/^[\w.\-/]{1,256}$/.test(eventBusName)) {
    throw new Error(`context key "eventBusName" must be an event bus name (letters, digits, . - _ /), got "${eventBusName}"`);
  }
  const eventSource = stringContext(node, 'eventSource') || 'revisit.customers';
  if (eventSource.length > 256 || /^aws\./i.test(eventSource)) {
    throw new Error(`context key "eventSource" must be at most 256 characters and not start with "aws.", got "${eventSource}"`);
  }
  return {
    eventBusName,
    eventSource,
    sesReplyToAddress,
    stage: stringContext(node, 'stage') || 'dev',
    sesFromAddress,
    sesConfigurationSetName: stringContext(node, 'sesConfigurationSetName') || 'revisit',
    smsOriginationNumber,
    smsSenderId: stringContext(node, 'smsSenderId') ?? 'REVISIT',
    escalationFromAddress,
  };
}
