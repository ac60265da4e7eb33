import type { Campaign } from '../functions/core/schemas.js';
import { emailAddressOf } from '../infra/config.js';

/** `revisit deploy`'s settings: the CDK context keys of infra/config.ts, and where to deploy. */
export interface DeployOptions {
  stage: string;
  sesFrom?: string;
  escalationFrom?: string;
  replyTo?: string;
  smsOriginationNumber?: string;
  smsSenderId?: string;
  /** An AWS profile for cdk (else the standard environment). */
  profile?: string;
  /** The campaign the stack is deployed for: its settings decide what must be in place first. */
  campaign?: Campaign;
}

export interface DeployPlan {
  /** The command, as an argv (first element the program). */
  argv: string[];
  /** What must be done in the account before (or right after) the deployment, for this campaign. */
  checklist: string[];
  /** Settings that are missing for this campaign, each a reason not to launch yet. */
  warnings: string[];
}

/** Message parts per second an origination identity sends (AWS End User Messaging SMS defaults). */
const SMS_PARTS_PER_SECOND = { 'toll-free number': 3, '10DLC number': 1, 'short code': 100 };

const shellQuote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** The argv as one line a person can paste into a shell. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** Whether the campaign can send on a channel at all (some segment's channel mix includes it). */
function uses(campaign: Campaign, channel: 'sms' | 'email'): boolean {
  return Object.values(campaign.segments).some((segment) => segment.channels.includes(channel));
}

/**
 * The `cdk deploy` of both stacks with the deployment settings as context, and the account set-up the
 * campaign's own settings call for (SES identity and sandbox, an origination number for SMS replies and
 * its throughput, addresses to verify while in the sandbox).
 */
export function planDeploy(options: DeployOptions): DeployPlan {
  const context: [string, string | undefined][] = [
    ['stage', options.stage],
    ['sesFromAddress', options.sesFrom],
    ['escalationFromAddress', options.escalationFrom],
    ['sesReplyToAddress', options.replyTo],
    ['smsOriginationNumber', options.smsOriginationNumber],
    ['smsSenderId', options.smsSenderId],
  ];
  const argv = ['npx', 'cdk', 'deploy', '--all', '--require-approval', 'broadening'];
  for (const [key, value] of context) if (value !== undefined && value !== '') argv.push('-c', `${key}=${value}`);
  if (options.profile) argv.push('--profile', options.profile);

  const checklist: string[] = ['once per account and region: npx cdk bootstrap'];
  const warnings: string[] = [];
  const campaign = options.campaign;
  const sendsEmail = campaign ? uses(campaign, 'email') || campaign.owner !== null : true;
  const sendsSms = campaign ? uses(campaign, 'sms') : true;
  if (!options.sesFrom) warnings.push('no --ses-from: e-mail would go out from revisit@example.com, which SES refuses');
  if (sendsEmail) {
    checklist.push(
      `SES: verify the sender's domain (DKIM) or address: ${options.sesFrom ? emailAddressOf(options.sesFrom) : '(set --ses-from)'}` +
        (options.escalationFrom ? ` and ${emailAddressOf(options.escalationFrom)}` : ''),
    );
    const rate = campaign?.sendRates.emailPerSecond;
    checklist.push(
      `SES: leave the sandbox (200 e-mails a day, 1 a second, verified recipients only) with a production access request${
        rate ? `, asking for a sending rate of at least ${rate}/s (the campaign's sendRates.emailPerSecond)` : ''
      }`,
    );
    if (campaign) {
      const managers = [
        campaign.defaultAccountManager,
        campaign.escalationChain.departmentHead,
        campaign.escalationChain.executive,
        campaign.owner,
      ].filter((address): address is string => address !== null);
      checklist.push(
        `SES sandbox only: verify the managers' addresses too (${[...new Set(managers)].join(', ')}), or escalations and the report bounce`,
      );
    }
  }
  if (sendsSms) {
    if (!options.smsOriginationNumber) {
      warnings.push(
        'no --sms-origination-number: SMS go out from a shared number and customers cannot answer them (replies are matched through a two-way number)',
      );
    }
    checklist.push(
      'SMS: request an origination number in AWS End User Messaging SMS, enable two-way messaging and set its destination to the InboundSmsTopicArn output',
    );
    checklist.push(
      "SMS: leave the SMS sandbox (new accounts send only to verified numbers, USD 1 a month) and raise the account's spend limit to what `revisit plan` projects (a Support case)",
    );
    checklist.push(
      'SMS: register the number first (US toll-free: up to 15 business days; 10DLC: brand, vetting and campaign, up to about 6 weeks)',
    );
    const rate = campaign?.sendRates.smsPerSecond;
    if (rate !== undefined) {
      const enough = Object.entries(SMS_PARTS_PER_SECOND)
        .filter(([, parts]) => parts >= rate)
        .map(([kind]) => kind);
      checklist.push(
        `SMS: the campaign sends up to ${rate} message parts a second; ${
          enough.length > 0
            ? `a ${enough.join(' or a ')} carries that`
            : 'no single number carries that: use several, or lower sendRates.smsPerSecond'
        } (toll-free 3/s, 10DLC from 1/s, short code 100/s in the US; a Chinese SMS is one part up to 70 characters, one per 67 beyond)`,
      );
    }
    if (campaign?.defaultRegion === 'CN') {
      checklist.push(
        'SMS to mainland China (+86): register the sender and every message template with AWS End User Messaging SMS (a Support case, a company registered in mainland China, about 10 business days); each message must open with a 【signature】, as the shipped zh-CN templates do',
      );
    }
  }
  checklist.push('attach the OperatorPolicyArn output to the people who run campaigns (revisit launch, status, pause, ...)');
  return { argv, checklist, warnings };
}
