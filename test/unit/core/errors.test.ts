import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as errors from '../../../functions/core/errors.js';
import { ERROR_NAMES, RevisitError } from '../../../functions/core/errors.js';

const errorsFile = fileURLToPath(new URL('../../../functions/core/errors.ts', import.meta.url));
const workflowFile = (name: string) => fileURLToPath(new URL(`../../../workflows/${name}`, import.meta.url));

const errorEqualsSchema = z.array(z.object({ ErrorEquals: z.array(z.string()).min(1) }).loose());
const catcherSchema = z.array(z.object({ ErrorEquals: z.array(z.string()).min(1), Next: z.string() }).loose());

interface StateErrors {
  state: string;
  retried: string[];
  caught: { error: string; next: string }[];
}

/** Every state of a workflow (Map item processors included) with the errors it retries and catches. */
function statesOf(file: string): StateErrors[] {
  const asl: unknown = JSON.parse(readFileSync(workflowFile(file), 'utf8'));
  const out: StateErrors[] = [];
  const visit = (states: Record<string, unknown>) => {
    for (const [name, raw] of Object.entries(states)) {
      const state = z.object({ Retry: z.unknown(), Catch: z.unknown(), ItemProcessor: z.unknown() }).partial().parse(raw);
      const retried = errorEqualsSchema.parse(state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      const caught = catcherSchema
        .parse(state.Catch ?? [])
        .flatMap((c) => c.ErrorEquals.map((error) => ({ error, next: c.Next })));
      out.push({ state: name, retried, caught });
      const nested = z.object({ States: z.record(z.string(), z.unknown()) }).safeParse(state.ItemProcessor);
      if (nested.success) visit(nested.data.States);
    }
  };
  visit(z.object({ States: z.record(z.string(), z.unknown()) }).parse(asl).States);
  return out;
}

const lifecycle = statesOf('lifecycle.asl.json');
const campaign = statesOf('campaign.asl.json');
const stateOf = (name: string): StateErrors => {
  const found = lifecycle.find((s) => s.state === name);
  if (!found) throw new Error(`lifecycle.asl.json has no state ${name}`);
  return found;
};

const errorClasses = Object.entries(errors).filter(
  (entry): entry is [string, typeof RevisitError] => typeof entry[1] === 'function' && entry[1] !== RevisitError,
);

/** Names the lifecycle deliberately neither retries nor catches by name: they fail the step (States.ALL -> RecordFailure). */
const NOT_RETRIED: Record<string, string> = {
  InvalidInputError: 'bad task input can never succeed',
  NotFoundError: 'a missing campaign, customer or lifecycle will not appear on a retry',
  InvalidLinkError: 'only the reply API raises it, as HTTP 410',
  CampaignNotPausedError: 'only `revisit update` raises it, to the operator',
};

describe('errors', () => {
  it.each(errorClasses)('names %s after its class', (className, ErrorClass) => {
    // Act
    const error = new ErrorClass('something failed');

    // Assess
    expect(error.name).toBe(className);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(RevisitError);
    expect(error.message).toBe('something failed');
  });

  it('lists every error class in ERROR_NAMES, and nothing else', () => {
    expect([...ERROR_NAMES].sort()).toEqual(errorClasses.map(([name]) => name).sort());
  });

  it('keeps every error name when bundled and minified as the Lambda functions are', async () => {
    // Prepare: the bundling options of infra/constructs/revisit-function.ts (minify: true), run in a sandbox
    const bundle = await build({
      entryPoints: [errorsFile],
      bundle: true,
      minify: true,
      target: 'node22',
      platform: 'node',
      format: 'iife',
      globalName: 'bundled',
      write: false,
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    const exported = z.record(z.string(), z.unknown()).parse(runInNewContext(`${code};bundled`, {}));

    // Act
    const names = ERROR_NAMES.map((name) => {
      const ErrorClass = exported[name];
      return typeof ErrorClass === 'function' ? (Reflect.construct(ErrorClass, ['x']) as Error).name : null;
    });

    // Assess
    expect(names).toEqual([...ERROR_NAMES]);
  });
});

describe('error names in the state machines', () => {
  it.each(ERROR_NAMES)('either matches %s in lifecycle.asl.json or deliberately leaves it to States.ALL', (name) => {
    const matched = lifecycle.some((s) => s.retried.includes(name) || s.caught.some((c) => c.error === name));

    expect(matched).toBe(!(name in NOT_RETRIED));
  });

  it.each(Object.keys(NOT_RETRIED))('never retries %s in any workflow', (name) => {
    const retriedBy = [...lifecycle, ...campaign].filter((s) => s.retried.includes(name)).map((s) => s.state);

    expect(retriedBy).toEqual([]);
  });

  it('names no error that the code does not raise', () => {
    const awsPrefixes = /^(States|Lambda|DynamoDb|DynamoDB|StepFunctions)\./;
    const named = [...lifecycle, ...campaign].flatMap((s) => [...s.retried, ...s.caught.map((c) => c.error)]);
    const ours = [...new Set(named.filter((n) => !awsPrefixes.test(n)))];

    expect(ours.filter((n) => !(ERROR_NAMES as readonly string[]).includes(n))).toEqual([]);
  });

  it.each(['Plan', 'Contact', 'PlanRecontact', 'Reschedule', 'EvaluateNoResponse', 'Evaluate', 'Escalate'])(
    'retries TransientError in %s',
    (state) => {
      expect(stateOf(state).retried).toContain('TransientError');
    },
  );

  it('retries TransientError (throttled StartExecution) when starting lifecycles', () => {
    expect(campaign.find((s) => s.state === 'StartLifecycles')?.retried).toContain('TransientError');
  });

  it.each(['Contact', 'Escalate'])('retries ProviderThrottledError in %s, which calls a provider', (state) => {
    expect(stateOf(state).retried).toContain('ProviderThrottledError');
  });

  it.each([
    ['Contact', 'RecipientSuppressedError', 'Suppressed'],
    ['Contact', 'OutsideContactWindowError', 'Reschedule'],
    ['PlanRecontact', 'NoSendWindowError', 'EvaluateNoResponse'],
    ['Reschedule', 'NoSendWindowError', 'EvaluateNoResponse'],
  ])('catches in %s a %s and goes to %s', (state, error, next) => {
    expect(stateOf(state).caught).toContainEqual({ error, next });
  });

  it('does not retry a suppressed recipient or a missed window, which a retry cannot fix', () => {
    expect(stateOf('Contact').retried).not.toContain('RecipientSuppressedError');
    expect(stateOf('Contact').retried).not.toContain('OutsideContactWindowError');
  });
});
