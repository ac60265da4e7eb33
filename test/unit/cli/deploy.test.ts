import { describe, expect, it } from 'vitest';
import { commandLine, planDeploy } from '../../../cli/deploy.js';
import { campaignOf } from '../../support/fixtures.js';

describe('revisit deploy', () => {
  it('deploys both stacks with every setting given as CDK context, and nothing else', () => {
    const plan = planDeploy({
      stage: 'prod',
      sesFrom: 'Revisit Shop <care@shop.example>',
      smsOriginationNumber: '+12065550100',
      profile: 'marketing',
    });

    expect(plan.argv).toEqual([
      'npx',
      'cdk',
      'deploy',
      '--all',
      '--require-approval',
      'broadening',
      '-c',
      'stage=prod',
      '-c',
      'sesFromAddress=Revisit Shop <care@shop.example>',
      '-c',
      'smsOriginationNumber=+12065550100',
      '--profile',
      'marketing',
    ]);
    expect(commandLine(plan.argv)).toBe(
      "npx cdk deploy --all --require-approval broadening -c stage=prod -c 'sesFromAddress=Revisit Shop <care@shop.example>' -c smsOriginationNumber=+12065550100 --profile marketing",
    );
  });

  it('warns when customers could not answer the SMS or no sender is set', () => {
    const plan = planDeploy({ stage: 'dev' });

    expect(plan.warnings).toEqual([
      expect.stringContaining('no --ses-from'),
      expect.stringContaining('no --sms-origination-number'),
    ]);
  });

  it("derives the checklist from the campaign: its e-mail rate, managers to verify, SMS rate and China's registration", () => {
    const campaign = campaignOf({
      defaultRegion: 'CN',
      sendRates: { smsPerSecond: 20, emailPerSecond: 14 },
      owner: 'ops@shop.example',
    });

    const { checklist } = planDeploy({ stage: 'dev', sesFrom: 'care@shop.example', campaign });

    expect(checklist).toContainEqual(expect.stringContaining('a sending rate of at least 14/s'));
    expect(checklist).toContainEqual(
      expect.stringContaining('service-desk@example.com, service-head@example.com, cx-director@example.com, ops@shop.example'),
    );
    expect(checklist).toContainEqual(expect.stringContaining('up to 20 message parts a second; a short code carries that'));
    expect(checklist).toContainEqual(expect.stringContaining('mainland China (+86)'));
  });

  it('leaves SMS out of the checklist of an e-mail-only campaign', () => {
    const emailOnly = Object.fromEntries(
      ['churn-warning', 'core', 'potential', 'new', 'active', 'dormant', 'lost'].map((s) => [s, { channels: ['email'] }]),
    );

    const plan = planDeploy({ stage: 'dev', sesFrom: 'care@shop.example', campaign: campaignOf({ segments: emailOnly }) });

    expect(plan.checklist.filter((step) => step.startsWith('SMS'))).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });
});
