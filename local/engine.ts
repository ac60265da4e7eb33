import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import type { WorkflowName } from '../infra/workflow-files.js';
import {
  CONTEXT_TOKEN,
  type Definition,
  dynamoDbTask,
  getPath,
  type Json,
  LAMBDA_ARN,
  type LambdaHandler,
  lambdaContext,
  loadDefinition,
  replaceDeep,
  ServiceError,
  type StateDefinition,
  setPath,
  statesOf,
} from './engine-tasks.js';
import type { VirtualClock } from './virtual-clock.js';

export { type LambdaHandler, lambdaContext, loadDefinition, statesOf } from './engine-tasks.js';

export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: Json;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  visited: string[];
  /** The input each state was last entered with, as the library's StateEntered events give it. */
  stateInputs: Map<string, Json>;
  error?: string;
  /** On the engine's (virtual) clock. */
  startedAt: Date;
  stoppedAt?: Date;
  result: Promise<void>;
  abort: () => void;
}

export interface LocalEngineOptions {
  /** Values for the `${...}` placeholders of the ASL files, as CDK passes them in AWS. */
  substitutions: Record<string, string>;
  /** Lambda handlers by function name (the last part of the function ARN). */
  lambdas: Record<string, LambdaHandler>;
  dynamodb: DynamoDBClient;
  clock: VirtualClock;
  /** Called for each state entered: for progress and for tests that check the states visited. */
  onStateEntered?: (execution: LocalExecution, stateName: string) => void;
  /**
   * Handler invocations running at once, like an account's Lambda concurrency; more wait for a turn
   * before they start (and before their task's timeout starts). Default 64.
   */
  lambdaConcurrency?: number;
}

/** Default of LocalEngineOptions.lambdaConcurrency: about what DynamoDB Local here serves at once. */
export const LOCAL_LAMBDA_CONCURRENCY = 64;

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}

interface PendingTask {
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

/**
 * Runs the ASL files of workflows/ with aws-local-stepfunctions. Task resources are mapped generically
 * by ARN: Lambda ARNs call the handler in-process; DynamoDB integrations (optimized and AWS SDK) call
 * DynamoDB Local with the same parameters; `.waitForTaskToken` parks a fresh token until
 * sendTaskSuccess/Failure; `states:startExecution` starts a local execution. Waits, task timeouts and
 * retry pauses run on the virtual clock.
 */
export class LocalStepFunctions {
  readonly executions = new Map<string, LocalExecution>();
  private readonly definitions = new Map<string, Definition>();
  /** Every state of each definition, walked once at registration rather than at every execution start. */
  private readonly statesByMachine = new Map<string, Map<string, StateDefinition>>();
  /** Validated once per definition (validation is costly); run() is safe to call concurrently. */
  private readonly machines = new Map<string, StateMachine>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly settledTokens = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  /** Handler invocations running, and those waiting for a turn (lambdaConcurrency). */
  private invocations = 0;
  private readonly turns: (() => void)[] = [];

  constructor(private readonly options: LocalEngineOptions) {}

  /** Registers a state machine under its local ARN, from the same ASL file CDK deploys. */
  register(stateMachineArn: string, name: WorkflowName): Definition {
    const definition = loadDefinition(name, this.options.substitutions);
    const states = statesOf(definition);
    this.statesByMachine.set(stateMachineArn, states);
    for (const [stateName, state] of states) {
      if (state.Type === 'Task') this.resolveResource(stateName, state); // fail fast on an unmapped resource
    }
    this.definitions.set(stateMachineArn, definition);
    // The validator annotates the definition it is given (QueryLanguage): give it a copy, keep the file's.
    // A Lambda task's TimeoutSeconds is kept by the engine from when its handler starts (invokeLambda,
    // after waiting for a turn): the library would count the wait too (and, without one, 60 s).
    const copy = structuredClone(definition);
    for (const [, state] of statesOf(copy)) {
      if (state.Type === 'Task' && LAMBDA_ARN.test(String(state.Resource))) state.TimeoutSeconds = 2_000_000;
    }
    this.machines.set(
      stateMachineArn,
      new StateMachine(copy as never, { validationOptions: { checkPaths: true, checkArn: false } }),
    );
    return definition;
  }

  definitionOf(stateMachineArn: string): Definition {
    const definition = this.definitions.get(stateMachineArn);
    if (!definition) throw new ServiceError('StateMachineDoesNotExist', `no local state machine ${stateMachineArn}`);
    return definition;
  }

  /** StartExecution: idempotent by name for the same input, like Standard workflows. */
  startExecution(stateMachineArn: string, name: string, input: Json): LocalExecution {
    const definition = this.definitionOf(stateMachineArn);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (JSON.stringify(existing.input) === JSON.stringify(input)) return existing;
      throw new ServiceError('StepFunctions.ExecutionAlreadyExistsException', `execution ${name} already exists`);
    }
    const shadow = { value: structuredClone(input) };
    // A Wait sleeps at full compression; if work slowed the clock meanwhile, the next task tops it up.
    let wakeAt: Date | null = null;
    const states = this.statesByMachine.get(stateMachineArn) ?? statesOf(definition);
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      visited: [],
      stateInputs: new Map(),
      startedAt: this.options.clock.now(),
      result: Promise.resolve(),
      abort: () => undefined,
    };
    const machine = this.machines.get(stateMachineArn) as StateMachine;
    const taskResourceLocalHandlers: Record<string, (input: Json) => Promise<Json>> = {};
    const retryIntervalOverrides: Record<string, number[]> = {};
    for (const [stateName, state] of states) {
      if (state.Type === 'Task') {
        const run = this.resolveResource(stateName, state);
        const retriers = ((state.Retry ?? []) as Retrier[]).map((r) => ({
          errors: r.ErrorEquals,
          intervalMs: (r.IntervalSeconds ?? 1) * 1000,
          maxAttempts: r.MaxAttempts ?? 3,
          backoff: r.BackoffRate ?? 2,
        }));
        // Retry pauses are kept here, on the virtual clock, with their backoff (the library's are 0 ms).
        let retryAt: number | null = null;
        const attempts = new Map<number, number>();
        const handle = async (taskInput: Json) => {
          const clean = structuredClone(taskInput);
          // aws-local-stepfunctions reads TimeoutSecondsPath from the task's parameters, AWS from the
          // state input, and times the task out in real time. The engine keeps the timeout itself, on
          // the virtual clock (resolveResource): hand the library a value it never reaches. (Set before
          // the first await: the library reads it as soon as this function returns its promise.)
          if (typeof state.TimeoutSecondsPath === 'string') setPath({ value: taskInput }, state.TimeoutSecondsPath, 2_000_000);
          // Until the task is under way this counts as work in flight: the clock must not move on while
          // the task is still finding out when it starts and how long it may take.
          const started = await this.options.clock.track(async () => {
            // The timeout is read from the state input as AWS reads it: the input the library entered
            // this state with (whatever state came before, Pass states included). Its StateEntered event
            // is queued before this task starts; one turn of the event loop lets the event reader take it.
            const stateInput =
              typeof state.TimeoutSecondsPath === 'string'
                ? await new Promise<Json>((resolve) => setImmediate(() => resolve(execution.stateInputs.get(stateName) ?? null)))
                : shadow.value;
            const wakeUp = wakeAt ?? (retryAt === null ? null : new Date(retryAt));
            wakeAt = null;
            retryAt = null;
            if (wakeUp) await this.options.clock.sleepUntil(wakeUp);
            return { outcome: run(clean, stateInput, execution) };
          });
          let result: Json;
          try {
            result = await started.outcome;
          } catch (error) {
            // The library retries when a retrier matches with attempts left: the next call is that retry.
            const name = (error as Error).name;
            const index = retriers.findIndex((r) => r.errors.includes(name) || r.errors.includes('States.ALL'));
            const retrier = retriers[index];
            const attempt = attempts.get(index) ?? 0;
            if (retrier && attempt < retrier.maxAttempts) {
              attempts.set(index, attempt + 1);
              retryAt = this.options.clock.now().getTime() + retrier.intervalMs * retrier.backoff ** attempt;
            } else attempts.clear();
            throw error;
          }
          attempts.clear();
          const resultPath = state.ResultPath as string | null | undefined;
          if (resultPath !== null) setPath(shadow, resultPath ?? '$', result);
          return result;
        };
        taskResourceLocalHandlers[stateName] = (taskInput: Json) => {
          const task = handle(taskInput);
          // An execution stopped (cancel, the end of a run) abandons its task: its late failure is nobody's.
          task.catch(() => undefined);
          return task;
        };
      }
      const retry = state.Retry as Retrier[] | undefined;
      if (retry) retryIntervalOverrides[stateName] = retry.map(() => 0);
    }
    // Wait states are read when entered: a getter computes the real pause from the virtual clock.
    const waitTimeOverrides = new Proxy({} as Record<string, number>, {
      get: (_target, stateName) => {
        const state = typeof stateName === 'string' ? states.get(stateName) : undefined;
        if (state?.Type !== 'Wait') return undefined;
        wakeAt = this.wakeTime(state, shadow.value);
        return this.options.clock.realMsUntil(wakeAt);
      },
    });
    const run = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: taskResourceLocalHandlers as never, waitTimeOverrides, retryIntervalOverrides },
      context: { Task: { Token: CONTEXT_TOKEN } },
    });
    execution.abort = run.abort;
    const trackEvents = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') {
          const { name: stateName, input: stateInput } = (event as { state: { name: string; input: Json } }).state;
          execution.visited.push(stateName);
          execution.stateInputs.set(stateName, stateInput);
          this.options.onStateEntered?.(execution, stateName);
        }
      }
    })();
    execution.result = run.result
      .then(() => {
        execution.status = 'SUCCEEDED';
      })
      .catch((error: unknown) => {
        execution.status = execution.status === 'ABORTED' ? 'ABORTED' : 'FAILED';
        execution.error = error instanceof Error ? ((error.cause as Error | undefined)?.name ?? error.name) : String(error);
      })
      .finally(async () => {
        execution.stoppedAt ??= this.options.clock.now();
        await trackEvents.catch(() => undefined);
        this.notifyIfIdle();
      });
    this.executions.set(executionArn, execution);
    return execution;
  }

  stopExecution(executionArn: string): void {
    const execution = this.executions.get(executionArn);
    if (execution?.status !== 'RUNNING') return;
    execution.status = 'ABORTED';
    execution.stoppedAt = this.options.clock.now();
    execution.abort();
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    const task = this.takePending(taskToken);
    task.resolve(JSON.parse(output) as Json);
  }

  sendTaskFailure(taskToken: string, error: string, cause: string): void {
    const task = this.takePending(taskToken);
    task.reject(new ServiceError(error, cause));
  }

  running(): number {
    let count = 0;
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') count++;
    return count;
  }

  /** Resolves once no execution is running. */
  async idle(): Promise<void> {
    while (this.running() > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIfIdle(): void {
    if (this.running() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private takePending(taskToken: string): PendingTask {
    const task = this.pending.get(taskToken);
    if (!task) {
      const name = this.settledTokens.has(taskToken) ? 'TaskTimedOut' : 'InvalidToken';
      throw new ServiceError(name, name === 'TaskTimedOut' ? 'task already ended or timed out' : 'unknown task token');
    }
    this.pending.delete(taskToken);
    this.settledTokens.add(taskToken);
    return task;
  }

  private wakeTime(state: StateDefinition, shadow: Json): Date {
    const now = this.options.clock.now().getTime();
    if (typeof state.Seconds === 'number') return new Date(now + state.Seconds * 1000);
    if (typeof state.Timestamp === 'string') return new Date(state.Timestamp);
    if (typeof state.SecondsPath === 'string') return new Date(now + Number(getPath(shadow, state.SecondsPath)) * 1000);
    if (typeof state.TimestampPath === 'string') {
      const at = getPath(shadow, state.TimestampPath);
      if (typeof at !== 'string') throw new Error(`Wait ${state.TimestampPath} is not a timestamp the engine can see`);
      return new Date(at);
    }
    return new Date(now);
  }

  /** The task's timeout: TimeoutSeconds, or TimeoutSecondsPath in the state input (a positive number, as AWS requires). */
  private timeoutSecondsOf(stateName: string, state: StateDefinition, stateInput: Json): number | null {
    if (typeof state.TimeoutSeconds === 'number') return state.TimeoutSeconds;
    if (typeof state.TimeoutSecondsPath !== 'string') return null;
    const seconds = getPath(stateInput, state.TimeoutSecondsPath);
    if (typeof seconds !== 'number' || !(seconds >= 1)) {
      throw new ServiceError(
        'States.Runtime',
        `${stateName}: TimeoutSecondsPath ${state.TimeoutSecondsPath} is not a positive number in the state input`,
      );
    }
    return seconds;
  }

  private resolveResource(
    stateName: string,
    state: StateDefinition,
  ): (input: Json, stateInput: Json, execution: LocalExecution) => Promise<Json> {
    const resource = String(state.Resource);
    const waitForToken = resource.endsWith('.waitForTaskToken');
    const base = waitForToken ? resource.slice(0, -'.waitForTaskToken'.length) : resource;
    const call = this.callFor(
      stateName,
      base,
      !waitForToken && typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : null,
    );
    if (!waitForToken) return (input, _shadow, execution) => call(input, execution);
    return async (input, stateInput, execution) => {
      const timeoutSeconds = this.timeoutSecondsOf(stateName, state, stateInput);
      const token = `local-${randomUUID()}`;
      const parked = new Promise<Json>((resolve, reject) => this.pending.set(token, { resolve, reject }));
      parked.catch(() => undefined);
      try {
        await call(replaceDeep(input, CONTEXT_TOKEN, token), execution);
      } catch (error) {
        this.pending.delete(token);
        this.settledTokens.add(token);
        throw error;
      }
      if (timeoutSeconds === null) return parked;
      const deadline = new Date(this.options.clock.now().getTime() + timeoutSeconds * 1000);
      // Once the token is answered, the timeout stops watching the clock.
      const answered = new AbortController();
      parked.finally(() => answered.abort()).catch(() => undefined);
      const timeout = this.options.clock.until(deadline, answered.signal).then(() => {
        if (this.pending.delete(token)) this.settledTokens.add(token);
        throw new ServiceError('States.Timeout', `${stateName} timed out`);
      });
      timeout.catch(() => undefined);
      return Promise.race([parked, timeout]);
    };
  }

  private callFor(
    stateName: string,
    resource: string,
    timeoutSeconds: number | null,
  ): (input: Json, execution: LocalExecution) => Promise<Json> {
    const lambda = LAMBDA_ARN.exec(resource);
    if (lambda) return (input) => this.invokeLambda(lambda[1] as string, input, stateName, timeoutSeconds);
    if (resource === 'arn:aws:states:::lambda:invoke') {
      return async (input) => {
        const params = input as { FunctionName: string; Payload?: Json };
        const name = params.FunctionName.split(':function:').pop()?.split(':')[0] ?? params.FunctionName;
        return { StatusCode: 200, Payload: await this.invokeLambda(name, params.Payload ?? null) };
      };
    }
    const dynamo = dynamoDbTask(stateName, resource, this.options.dynamodb, this.options.clock);
    if (dynamo) return dynamo;
    if (resource === 'arn:aws:states:::states:startExecution') {
      return async (input) => {
        const params = input as { StateMachineArn: string; Name?: string; Input?: Json };
        const payload = typeof params.Input === 'string' ? (JSON.parse(params.Input) as Json) : (params.Input ?? {});
        const execution = this.startExecution(params.StateMachineArn, params.Name ?? randomUUID(), payload);
        return { ExecutionArn: execution.executionArn, StartDate: new Date().toISOString() };
      };
    }
    throw new Error(`state ${stateName}: the local engine has no mapping for resource ${resource}`);
  }

  private async invokeLambda(
    functionName: string,
    payload: Json,
    stateName = functionName,
    timeoutSeconds: number | null = null,
  ): Promise<Json> {
    const handler = this.options.lambdas[functionName];
    if (!handler) throw new ServiceError('Lambda.ResourceNotFoundException', `no local function ${functionName}`);
    // Like Lambda's concurrency: past the limit an invocation waits for a turn (counted as work in
    // flight, so that the clock does not run ahead of it), and its timeout starts with the handler.
    if (this.invocations >= (this.options.lambdaConcurrency ?? LOCAL_LAMBDA_CONCURRENCY)) {
      await this.options.clock.track(() => new Promise<void>((resolve) => this.turns.push(resolve)));
    } else this.invocations++;
    try {
      // A Lambda receives its event as JSON: a copy, never the engine's own object.
      const invocation = handler(structuredClone(payload), lambdaContext(functionName));
      let result: unknown;
      if (timeoutSeconds === null) result = await invocation;
      else {
        // The handler's own time, as a Lambda's timeout counts it: in real time, since the virtual clock
        // may jump over other lifecycles' waits while this handler works.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new ServiceError('States.Timeout', `${stateName} timed out after ${timeoutSeconds} s`)),
            timeoutSeconds * 1000,
          );
        });
        timeout.catch(() => undefined);
        try {
          result = await Promise.race([invocation, timeout]);
        } finally {
          clearTimeout(timer);
        }
      }
      return (result === undefined ? null : JSON.parse(JSON.stringify(result))) as Json;
    } finally {
      const next = this.turns.shift();
      // The turn passes straight on: the count stays as it is.
      if (next) next();
      else this.invocations--;
    }
  }
}
