import { App, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RevisitStacks } from '../../infra/revisit-app';
import {
  acknowledgementsIn,
  acknowledgementsUsed,
  acknowledgementsWithoutReason,
  SYNTH_TIMEOUT_MS,
  synthesize,
} from '../support/stacks.js';

describe('revisit stacks', () => {
  let stacks: RevisitStacks;

  beforeAll(() => {
    // Prepare
    ({ stacks } = synthesize());
  }, SYNTH_TIMEOUT_MS);

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
