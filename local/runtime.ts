import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPOSITORY_CACHE, StaticLinkKey } from '../functions/adapters/clients.js';
import { dynamoDbCouponStore } from '../functions/adapters/dynamodb/coupon-store.js';
import { DynamoDbRateLimiter } from '../functions/adapters/dynamodb/rate-limiter.js';
import { dynamoDbProfileStores, dynamoDbProgramStore, dynamoDbRepository } from '../functions/adapters/dynamodb/repository.js';
import { SfnWorkflowCallback } from '../functions/adapters/sfn-workflow-callback.js';
import { SfnWorkflowControl } from '../functions/adapters/sfn-workflow-control.js';
import { buildContactHandler } from '../functions/contact/handler.js';
import type {
  CampaignRepository,
  EmailSender,
  EventStore,
  ProfileStore,
  ProgramStore,
  SmsSender,
  WorkflowControl,
} from '../functions/core/ports/index.js';
import type { Deps } from '../functions/core/use-cases/deps.js';
import { buildEscalateHandler } from '../functions/escalate/handler.js';
import { buildEvaluateHandler } from '../functions/evaluate/handler.js';
import { buildInboundEmailHandler } from '../functions/inbound-email/handler.js';
import { buildInboundSmsHandler } from '../functions/inbound-sms/handler.js';
import { buildPlanHandler } from '../functions/plan/handler.js';
import { buildProgramSweepHandler } from '../functions/program-sweep/handler.js';
import { buildReplyApiHandler } from '../functions/reply-api/handler.js';
import { logger } from '../functions/shared/logger.js';
import { buildStartLifecyclesHandler } from '../functions/start-lifecycles/handler.js';
import { createTable, type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { type LambdaHandler, type LocalExecution, LocalStepFunctions } from './engine.js';
import { armCrash, crashPointSchema, FaultyProviders, type ProviderFaults } from './faults.js';
import { LocalSfnClient } from './local-sfn-client.js';
import { OutboxMessenger } from './outbox.js';
import { RunStats } from './stats.js';
import type { VirtualClock } from './virtual-clock.js';

export const LOCAL_TABLE = 'revisit';
export const LOCAL_ACCOUNT = 'arn:aws:lambda:local:000000000000:function:';
export const LIFECYCLE_ARN = 'arn:aws:states:local:000000000000:stateMachine:revisit-lifecycle';
export const CAMPAIGN_ARN = 'arn:aws:states:local:000000000000:stateMachine:revisit-campaign';
export const PROGRAM_ARN = 'arn:aws:states:local:000000000000:stateMachine:revisit-program';
export const FUNCTION_NAMES = [
  'plan',
  'contact',
  'evaluate',
  'escalate',
  'start-lifecycles',
  'program-sweep',
  'inbound-sms',
  'inbound-email',
  'reply-api',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

const functionArn = (name: FunctionName) => `${LOCAL_ACCOUNT}revisit-${name}`;

/** The local values of the ASL placeholders; in AWS, CDK passes the deployed ARNs and table name. */
export function localSubstitutions(tableName = LOCAL_TABLE): Record<string, string> {
  return {
    PlanFunctionArn: functionArn('plan'),
    ContactFunctionArn: functionArn('contact'),
    EvaluateFunctionArn: functionArn('evaluate'),
    ProgramSweepFunctionArn: functionArn('program-sweep'),
    EscalateFunctionArn: functionArn('escalate'),
    StartLifecyclesFunctionArn: functionArn('start-lifecycles'),
    LifecycleStateMachineArn: LIFECYCLE_ARN,
    TableName: tableName,
  };
}

export interface LocalRuntimeOptions {
  /** Where outbox.jsonl, emails/ and the run's files go. */
  outDir: string;
  /** DynamoDB Local's files; null keeps the database in memory (tests). */
  dataDir: string | null;
  clock: VirtualClock;
  /** Base of the links in messages (the local survey server). */
  publicBaseUrl?: string;
  onStateEntered?: (execution: LocalExecution, stateName: string) => void;
  /** Simulated provider refusals (throttling, 5xx) for fault-injection runs; none by default. */
  providerFaults?: ProviderFaults;
  /** Tests: put something of their own between the handlers and the outbox (scripted provider failures). */
  wrapProviders?: (outbox: OutboxMessenger) => SmsSender & EmailSender;
  /** Level of the handlers' logs (stdout); the CLI keeps them quiet under its progress bar. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
}

export interface LocalRuntime {
  ddb: DynamoDbLocal;
  repo: CampaignRepository;
  engine: LocalStepFunctions;
  sfn: LocalSfnClient;
  outbox: OutboxMessenger;
  /** The providers the handlers send through: the outbox, behind injected faults when asked for. */
  providers: SmsSender & EmailSender;
  clock: VirtualClock;
  /** The Lambda handlers, by function name, exactly as the engine invokes them. */
  handlers: Record<FunctionName, LambdaHandler>;
  /** DynamoDB requests, state transitions and handler invocations so far (the benchmark's counts). */
  stats: RunStats;
  /** What `revisit pause`, `resume`, `cancel` and `status` use: the same adapters as in AWS. */
  operate: Pick<Deps, 'repo' | 'clock' | 'callback'> & {
    control: WorkflowControl;
    profiles: ProfileStore;
    events: EventStore;
    programs: ProgramStore;
  };
  stop(): Promise<void>;
}

function linkKeyFor(dataDir: string | null): string {
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'link-key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The local wiring point (the other is each Lambda's index.ts): DynamoDB Local, the outbox in place of
 * SNS and SES, the local Step Functions engine in place of AWS's, the virtual clock in place of the
 * wall clock. The handlers are the very ones the Lambda entry points build.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  logger.setLogLevel(options.logLevel ?? 'ERROR');
  const ddb = await startDynamoDbLocal(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {});
  await createTable(ddb.client, LOCAL_TABLE);
  const stats = new RunStats();
  stats.watch(ddb.client);
  // One process holds the table: every write goes through this repository, which forgets what it
  // changed, so the local engine keeps what it read for as long as Lambda keeps customers.
  const repo = dynamoDbRepository(ddb.client, LOCAL_TABLE, {
    campaignCacheMs: REPOSITORY_CACHE.customerCacheMs,
    customerCacheMs: REPOSITORY_CACHE.customerCacheMs,
  });
  const outbox = new OutboxMessenger(options.outDir, options.clock);
  const lambdas: Record<string, LambdaHandler> = {};
  const engine = new LocalStepFunctions({
    substitutions: localSubstitutions(),
    lambdas,
    dynamodb: ddb.client,
    clock: options.clock,
    onStateEntered: (execution, stateName) => {
      stats.transition(execution.stateMachineArn);
      options.onStateEntered?.(execution, stateName);
    },
  });
  const sfn = new LocalSfnClient(engine);
  const providers = options.wrapProviders
    ? options.wrapProviders(outbox)
    : options.providerFaults
      ? new FaultyProviders(outbox, options.providerFaults)
      : outbox;
  // Fault-injection tests only: crash at the worst moment (test/faults).
  const crash = process.env.REVISIT_CRASH_AFTER;
  if (crash) armCrash(crashPointSchema.parse(crash), repo, outbox);
  const deps: Deps = {
    repo,
    clock: options.clock,
    sms: providers,
    email: providers,
    callback: new SfnWorkflowCallback(sfn),
    links: new StaticLinkKey(linkKeyFor(options.dataDir)),
    limiter: new DynamoDbRateLimiter(ddb.client, LOCAL_TABLE),
    coupons: dynamoDbCouponStore(ddb.client, LOCAL_TABLE),
    publicBaseUrl: options.publicBaseUrl ?? 'http://localhost:8787',
  };
  const profileStores = dynamoDbProfileStores(ddb.client, LOCAL_TABLE);
  const programs = dynamoDbProgramStore(ddb.client, LOCAL_TABLE);
  const handlers: Record<FunctionName, LambdaHandler> = {
    plan: buildPlanHandler(deps) as LambdaHandler,
    contact: buildContactHandler(deps) as LambdaHandler,
    evaluate: buildEvaluateHandler({ ...deps, profiles: profileStores.profiles }) as LambdaHandler,
    'program-sweep': buildProgramSweepHandler({ repo, programs, ...profileStores, clock: options.clock }) as LambdaHandler,
    escalate: buildEscalateHandler(deps) as LambdaHandler,
    'start-lifecycles': buildStartLifecyclesHandler({
      repo,
      starter: new SfnWorkflowControl(sfn, LIFECYCLE_ARN),
    }) as LambdaHandler,
    'inbound-sms': buildInboundSmsHandler(deps) as LambdaHandler,
    'inbound-email': buildInboundEmailHandler(deps) as LambdaHandler,
    'reply-api': buildReplyApiHandler(deps) as LambdaHandler,
  };
  for (const name of FUNCTION_NAMES) {
    const handler = handlers[name];
    // Handler time runs at wall-clock speed on the virtual clock (see VirtualClock).
    handlers[name] = (event, context) =>
      options.clock.track(async () => {
        const started = performance.now();
        try {
          return await handler(event, context);
        } finally {
          stats.invoked(name, performance.now() - started);
        }
      });
    lambdas[`revisit-${name}`] = handlers[name];
  }
  engine.register(LIFECYCLE_ARN, 'lifecycle');
  engine.register(CAMPAIGN_ARN, 'campaign');
  engine.register(PROGRAM_ARN, 'program');
  return {
    ddb,
    repo,
    engine,
    sfn,
    outbox,
    providers,
    clock: options.clock,
    handlers,
    stats,
    operate: {
      repo,
      clock: options.clock,
      callback: deps.callback,
      control: new SfnWorkflowControl(sfn, LIFECYCLE_ARN),
      ...dynamoDbProfileStores(ddb.client, LOCAL_TABLE),
      programs: dynamoDbProgramStore(ddb.client, LOCAL_TABLE),
    },
    stop: async () => {
      for (const execution of engine.executions.values()) engine.stopExecution(execution.executionArn);
      await outbox.close();
      await ddb.stop();
    },
  };
}
