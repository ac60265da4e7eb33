import { type App, type Environment, Tags } from 'aws-cdk-lib';
import { readConfig } from './config';
import { AppStack } from './stacks/app-stack';
import { DataStack } from './stacks/data-stack';

export interface RevisitStacks {
  /** Stateful: table, its key, the link-signing key. Stack `RevisitData`. */
  readonly data: DataStack;
  /** Stateless: functions, workflows, messaging, HTTP API. Stack `Revisit`. */
  readonly app: AppStack;
}

/**
 * Adds the revisit stacks to `app`. Shared by the CDK entry point (infra/app.ts) and the infra tests,
 * so that the tests check exactly what `cdk deploy` ships.
 *
 * @param env where to deploy; by default the CLI's account and region when it knows them, and
 *   environment-agnostic otherwise (offline synth)
 */
export function defineRevisit(
  app: App,
  env: Environment = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
): RevisitStacks {
  const config = readConfig(app.node);

  const data = new DataStack(app, 'RevisitData', {
    env,
    description: 'revisit: stateful resources (table, keys, link-signing secret); all retained on deletion',
    terminationProtection: config.stage !== 'dev',
  });
  const stateless = new AppStack(app, 'Revisit', {
    env,
    description: 'revisit: functions, workflows, messaging and HTTP API',
    config,
    table: data.table,
    tableKey: data.tableKey,
    linkSigningKey: data.linkSigningKey,
  });
  Tags.of(app).add('app', 'revisit');
  Tags.of(app).add('stage', config.stage);
  return { data, app: stateless };
}
