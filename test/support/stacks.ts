import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { App, type Environment, type Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import type {
  CampaignRepository,
  CouponStore,
  EventStore,
  ProfileStore,
  ProgramStore,
} from '../../functions/core/ports/index.js';
import { defineRevisit, type RevisitStacks } from '../../infra/revisit-app';
import { type WorkflowName, workflowFile } from '../../infra/workflow-files';

/**
 * Synthesizing the revisit stacks as `cdk synth` does, and reading them: what each function's code calls
 * on the table, its grants, the acknowledged findings. Shared by the test/infra files.
 */

export const projectRoot = join(import.meta.dirname, '..', '..');
/** A synthesis takes a few seconds, more on a busy two-core machine than a hook's default 10 s. */
export const SYNTH_TIMEOUT_MS = 120_000;

/**
 * The same app `cdk synth` builds: cdk.json's context plus `extra`; assets are staged but not bundled.
 * Environment-agnostic unless `env` is given (the CLI gives one whenever it knows the account).
 */
export function synthesize(
  extra: Record<string, unknown> = {},
  env: Environment = {},
): { stacks: RevisitStacks; assembly: CloudAssembly } {
  const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...extra } });
  const stacks = defineRevisit(app, env);
  return { stacks, assembly: app.synth() };
}

/** `${Name}` placeholders of an ASL file. */
export function placeholdersOf(name: WorkflowName): string[] {
  const text = readFileSync(workflowFile(name), 'utf8');
  return [...new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

/** What each repository method sends to DynamoDB (functions/adapters/dynamodb/); `Query@gsi1` is the address index. */
export const TABLE_CALLS = {
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

/** What each method of the other ports' DynamoDB adapters sends, by the name the use cases call the port by. */
export const PORT_CALLS = {
  programs: {
    putProgram: ['PutItem'],
    getProgram: ['GetItem'],
    setProgramStatus: ['UpdateItem'],
    listPrograms: ['Query@gsi1'],
    deleteProgram: ['Query', 'Query@gsi1', 'BatchWriteItem'],
    claimProgramTouch: ['PutItem', 'GetItem'],
    claimedTouchesOf: ['Query'],
    putWave: ['PutItem'],
    listWaves: ['Query'],
    markDue: ['BatchWriteItem'],
    listDue: ['Query'],
    programRecordsOf: ['Query'],
    deleteProgramRecordsOf: ['Query', 'BatchWriteItem'],
  } satisfies Record<keyof ProgramStore, string[]>,
  profiles: {
    getProfile: ['GetItem'],
    putProfile: ['PutItem'],
    listProfiles: ['Query@gsi1'],
    deleteProfile: ['GetItem', 'BatchWriteItem'],
  } satisfies Record<keyof ProfileStore, string[]>,
  events: {
    recordEvent: ['PutItem', 'GetItem'],
    markEventApplied: ['UpdateItem'],
    listEvents: ['Query@gsi1'],
    deleteEventsOf: ['Query@gsi1', 'BatchWriteItem'],
  } satisfies Record<keyof EventStore, string[]>,
  coupons: {
    importCodes: ['GetItem', 'BatchWriteItem', 'UpdateItem'],
    assignCode: ['GetItem', 'UpdateItem', 'PutItem'],
    poolStats: ['GetItem'],
  } satisfies Record<keyof CouponStore, string[]>,
} as const;

/** Every source file a Lambda entry point bundles from this repository (relative imports, followed). */
export function sourcesOf(entry: string, seen = new Set<string>()): Set<string> {
  seen.add(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
    const file = resolve(dirname(entry), `${match[1]}.ts`);
    if (existsSync(file) && !seen.has(file)) sourcesOf(file, seen);
  }
  return seen;
}

/**
 * The DynamoDB calls a function's code can make, read from its sources: every `repo.method(` (and
 * `programs.`, `profiles.`, `events.`, `coupons.`) of every file it bundles (so a use case imported for one
 * helper counts whole: safe side), and the send-rate limiter.
 */
export function tableCallsOf(functionName: string): { table: string[]; addressIndex: boolean } {
  const calls = new Set<string>();
  for (const file of sourcesOf(join(projectRoot, 'functions', functionName, 'index.ts'))) {
    for (const [, method = ''] of readFileSync(file, 'utf8').matchAll(/\brepo\.(\w+)\(/g)) {
      const sent = TABLE_CALLS[method as keyof typeof TABLE_CALLS];
      expect(sent, `${file} calls repo.${method}, which TABLE_CALLS does not know`).toBeDefined();
      for (const call of sent) calls.add(call);
    }
    for (const [, port = '', method = ''] of readFileSync(file, 'utf8').matchAll(
      /\b(programs|profiles|events|coupons)\.(\w+)\(/g,
    )) {
      const sent = (PORT_CALLS[port as keyof typeof PORT_CALLS] as Record<string, readonly string[]>)[method];
      expect(sent, `${file} calls ${port}.${method}, which PORT_CALLS does not know`).toBeDefined();
      for (const call of sent ?? []) calls.add(call);
    }
    if (file.endsWith('dynamodb/rate-limiter.ts')) calls.add('UpdateItem');
  }
  return { table: [...calls].filter((c) => !c.includes('@')).sort(), addressIndex: calls.has('Query@gsi1') };
}

/** The acknowledgements of validation findings made on `construct` itself: which finding, and the reason written for it. */
export function acknowledgementsOn(construct: IConstruct): { path: string; id: string; reason: unknown }[] {
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
export function acknowledgementsIn(scope: IConstruct) {
  return scope.node.findAll().flatMap(acknowledgementsOn);
}

/** Acknowledgements whose reason does not explain anything: missing, short, or the finding's id again. */
export function acknowledgementsWithoutReason(scope: IConstruct): string[] {
  return acknowledgementsIn(scope)
    .filter(({ id, reason }) => typeof reason !== 'string' || reason.trim().length < 40 || reason.includes(id))
    .map(({ path, id }) => `${path} ${id}`);
}

/**
 * Runs the AwsSolutions checks on `stack` and records which acknowledgement silenced each finding (the
 * nearest construct up the tree that acknowledges its id, as cdk-nag looks for it).
 */
export function acknowledgementsUsed(stack: Stack): Set<string> {
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

export const SECRET = ['secretsmanager:DescribeSecret on link secret', 'secretsmanager:GetSecretValue on link secret'];
export const SEND_SMS = [
  'sns:Publish on *',
  'sms-voice:SendTextMessage on * if {"StringEquals":{"aws:CalledViaLast":"sns.amazonaws.com"}}',
];
export const SEND_EMAIL =
  'ses:SendEmail on configuration set, ses identity/* if {"StringEquals":{"ses:FromAddress":"revisit@example.com"}}';
export const RESUME = [
  'states:SendTaskFailure on lifecycle',
  'states:SendTaskHeartbeat on lifecycle',
  'states:SendTaskSuccess on lifecycle',
];

/** What a resource of a function's policy is, by name ("table", "own logs", ...), or its JSON when it is none of them. */
export function resourceName(resource: unknown, prefix: string): string {
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
export function grantsOf(template: Template, prefix: string): string[] {
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
export function expectedGrants(calls: ReturnType<typeof tableCallsOf>, extra: readonly string[]): string[] {
  const writes = calls.table.some((call) => call === 'PutItem' || call === 'UpdateItem' || call === 'BatchWriteItem');
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
