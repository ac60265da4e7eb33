import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as ddb from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { type WorkflowName, workflowFile } from '../infra/workflow-files.js';
import type { VirtualClock } from './virtual-clock.js';

/*
 * What the local engine (engine.ts) needs besides running executions: the ASL files with their
 * substitutions, the simple paths it reads and writes, a Lambda's context, and the DynamoDB integrations.
 */

/** A Lambda handler as the local engine calls it: the same function object Lambda would call. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type StateDefinition = Record<string, unknown> & { Type: string };
export type Definition = { StartAt: string; States: Record<string, StateDefinition> };

/** What `$$.Task.Token` resolves to in the engine's fixed context; replaced by a fresh token per task entry. */
export const CONTEXT_TOKEN = 'revisit-local-context-token';

/** Error raised like the AWS service raises it, so Catch/Retry and callers see the same names. */
export class ServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function substitute(text: string, substitutions: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}/g, (whole, key: string) => {
    const value = substitutions[key];
    if (value === undefined) throw new Error(`no local substitution for ${whole}`);
    return value;
  });
}

/** Reads the ASL file exactly as CDK's DefinitionBody.fromFile does, with the local substitutions. */
export function loadDefinition(name: WorkflowName, substitutions: Record<string, string>): Definition {
  return JSON.parse(substitute(readFileSync(workflowFile(name), 'utf8'), substitutions)) as Definition;
}

/** Every state of a definition, nested Map/Parallel states included. */
export function statesOf(definition: Definition): Map<string, StateDefinition> {
  const out = new Map<string, StateDefinition>();
  const visit = (d: Definition) => {
    for (const [name, state] of Object.entries(d.States)) {
      out.set(name, state);
      const nested = (state.ItemProcessor ?? state.Iterator) as Definition | undefined;
      if (nested) visit(nested);
      for (const branch of (state.Branches as Definition[] | undefined) ?? []) visit(branch);
    }
  };
  visit(definition);
  return out;
}

export const LAMBDA_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)$/;

function pathSegments(path: string): string[] {
  if (path === '$') return [];
  if (!/^\$(\.[A-Za-z_][\w]*)+$/.test(path)) throw new Error(`local engine supports simple paths only, not ${path}`);
  return path.slice(2).split('.');
}

export function getPath(value: Json, path: string): Json | undefined {
  let cursor: Json | undefined = value;
  for (const segment of pathSegments(path)) {
    if (cursor === null || typeof cursor !== 'object' || Array.isArray(cursor)) return undefined;
    cursor = cursor[segment];
  }
  return cursor;
}

export function setPath(target: { value: Json }, path: string, result: Json): void {
  const segments = pathSegments(path);
  if (segments.length === 0) {
    target.value = result;
    return;
  }
  if (target.value === null || typeof target.value !== 'object' || Array.isArray(target.value)) target.value = {};
  let cursor = target.value as Record<string, Json>;
  for (const segment of segments.slice(0, -1)) {
    const next = cursor[segment];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cursor[segment] = {};
    cursor = cursor[segment] as Record<string, Json>;
  }
  cursor[segments.at(-1) as string] = result;
}

export function replaceDeep(value: Json, from: string, to: string): Json {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  }
  return value;
}

function pascal(action: string): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

export function lambdaContext(functionName: string): Context {
  const awsRequestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * A DynamoDB integration of a Task state (optimized, `arn:aws:states:::dynamodb:putItem`, or AWS SDK,
 * `arn:aws:states:::aws-sdk:dynamodb:putItem`): the same command on DynamoDB Local, its errors named as
 * Step Functions names them; null for any other resource.
 */
export function dynamoDbTask(
  stateName: string,
  resource: string,
  dynamodb: DynamoDBClient,
  clock: VirtualClock,
): ((input: Json) => Promise<Json>) | null {
  const dynamo = /^arn:aws:states:::(aws-sdk:)?dynamodb:(\w+)$/.exec(resource);
  if (!dynamo) return null;
  const prefix = dynamo[1] ? 'DynamoDb' : 'DynamoDB';
  const commandName = `${pascal(dynamo[2] as string)}Command`;
  const Command = (
    ddb as unknown as Record<
      string,
      new (
        input: unknown,
      ) => ddb.DynamoDBClient['send'] extends (c: infer C) => unknown ? C : never
    >
  )[commandName];
  if (!Command) throw new Error(`state ${stateName}: DynamoDB has no ${commandName}`);
  return async (input) => {
    try {
      const { $metadata: _metadata, ...output } = (await clock.track(() => dynamodb.send(new Command(input) as never))) as Record<
        string,
        Json
      > & { $metadata: unknown };
      return output as Json;
    } catch (error) {
      throw new ServiceError(`${prefix}.${(error as Error).name}`, (error as Error).message);
    }
  };
}
