import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SLOT_HORIZON_SECONDS } from '../../functions/core/use-cases/contact';
import { PAGE_SIZE } from '../../functions/core/use-cases/start-lifecycles';
import { defineRevisit } from '../../infra/revisit-app';
import { workflowFile } from '../../infra/workflow-files';

/**
 * The settings that carrying a million customers in one campaign depends on (BENCHMARKS.md, "Scale on
 * AWS"): change one of them and this says which part of that reckoning no longer holds.
 */

interface State {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  TimestampPath?: string;
  Retry?: { ErrorEquals: string[] }[];
  Next?: string;
  Choices?: { Next: string }[];
}

const definitionOf = (name: 'campaign' | 'lifecycle') =>
  JSON.parse(readFileSync(workflowFile(name), 'utf8')) as { States: Record<string, State> };

/** The execution history's hard limit per Standard execution. */
const HISTORY_EVENTS_LIMIT = 25_000;
const MILLION = 1_000_000;

let app: Template;
let data: Template;

beforeAll(() => {
  const cdkJson = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const cdkApp = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stacks = defineRevisit(cdkApp, {});
  app = Template.fromStack(stacks.app);
  data = Template.fromStack(stacks.data);
}, 120_000);

function functionNamed(name: string): Record<string, unknown> {
  const found = Object.values(app.findResources('AWS::Lambda::Function')).find(
    (fn) => fn.Properties.Description === `revisit ${name}`,
  );
  if (!found) throw new Error(`no function ${name}`);
  return found.Properties as Record<string, unknown>;
}

describe('what a million customers in one campaign depends on', () => {
  it('runs the three workflows as Standard executions (a lifecycle waits days, a program a year; Express stops at 5 minutes)', () => {
    const machines = Object.values(app.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(3);
    for (const machine of machines) expect(machine.Properties.StateMachineType).toBe('STANDARD');
  });

  it('keeps the table on demand, with the index the day-by-day launch pages through', () => {
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
        },
      ],
    });
  });

  it("keeps the campaign execution's history far below its limit for a million customers: no Map, only a cursor per page", () => {
    const { States } = definitionOf('campaign');
    expect(Object.values(States).filter((s) => s.Type === 'Map' || s.Type === 'Parallel')).toEqual([]);
    // One page: the task (entered, scheduled, started, succeeded, exited), the choice and the pass (2 each)
    const eventsPerPage = 5 + 2 + 2;
    expect(States.StartLifecycles?.Next).toBe('MorePages');
    expect(States.MorePages?.Choices?.map((c) => c.Next)).toEqual(['NextPage', 'WaitForNextDay']);
    expect(States.NextPage?.Next).toBe('StartLifecycles');
    expect((MILLION / PAGE_SIZE) * eventsPerPage).toBeLessThan(HISTORY_EVENTS_LIMIT / 2);
  });

  it('starts each day’s lifecycles only when the day comes, so open executions stay a day’s worth', () => {
    const { States } = definitionOf('campaign');
    expect(States.WaitForNextDay).toMatchObject({ Type: 'Wait', TimestampPath: '$.page.nextDayAt', Next: 'NextDay' });
    expect(States.NextDay?.Next).toBe('StartLifecycles');
  });

  it('retries a page that was throttled or timed out, within the function’s own time limit', () => {
    const task = definitionOf('campaign').States.StartLifecycles as State;
    const retried = (task.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(retried).toEqual(expect.arrayContaining(['TransientError', 'States.Timeout', 'Lambda.TooManyRequestsException']));
    expect(functionNamed('start-lifecycles').Timeout).toBe(task.TimeoutSeconds);
  });

  it('retries every Lambda task of the lifecycle when the account’s concurrency is exhausted', () => {
    const { States } = definitionOf('lifecycle');
    const lambdaTasks = Object.entries(States).filter(([, s]) => s.Type === 'Task' && s.Resource?.includes('FunctionArn'));
    expect(lambdaTasks.length).toBeGreaterThan(3);
    for (const [name, state] of lambdaTasks) {
      expect(
        (state.Retry ?? []).flatMap((r) => r.ErrorEquals),
        name,
      ).toContain('Lambda.TooManyRequestsException');
    }
  });

  it('gives Contact time to wait for its send slot (the shared rate limit books up to 20 s ahead)', () => {
    const contact = definitionOf('lifecycle').States.Contact as State;
    expect(SLOT_HORIZON_SECONDS).toBe(20);
    expect(functionNamed('contact').Timeout).toBeGreaterThan(SLOT_HORIZON_SECONDS);
    expect(contact.TimeoutSeconds).toBeGreaterThan(SLOT_HORIZON_SECONDS);
  });

  it('caps no function’s concurrency below the account’s, so the send rate, not Lambda, paces a campaign', () => {
    for (const fn of Object.values(app.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });
});
