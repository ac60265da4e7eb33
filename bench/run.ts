/**
 * `npm run bench`: how fast revisit runs on this machine and what it would cost on AWS, in one run.
 * 1. the raw speed of DynamoDB Local here, with the client the engine uses (the floor);
 * 2. one customer's happy path, counted exactly (transitions, invocations, DynamoDB writes);
 * 3. a 10,000-customer campaign end to end on the local engine with simulated replies;
 * 4. the AWS cost per 1,000 customers from those counts (message fees apart);
 * 5. a 100,000-customer `revisit plan`, in its own process (time and peak memory);
 * 6. the sender against its configured SMS rate with a large backlog.
 * Writes bench/results.json, the charts bench/*.svg, and the generated part of BENCHMARKS.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import * as asciichart from 'asciichart';
import { Command } from 'commander';
import { loadCampaignFile } from '../files/campaign-file.js';
import { type Pricing, pricingSchema } from '../functions/core/schemas.js';
import { benchCampaign, type CampaignBench } from './campaign.js';
import { sendRateChart, throughputChart } from './charts.js';
import { measureDynamoDbLocal } from './ddb-raw.js';
import { measureHappyPath } from './happy-path.js';
import { sendRateOf } from './send-rate.js';

const options = new Command()
  .name('bench')
  .option('--customers <n>', 'customers in the campaign run', Number, 10_000)
  .option('--plan <n>', 'customers in the plan run', Number, 100_000)
  .option(
    '--time-scale <n>',
    'max, or virtual seconds per real second while idle (the campaign runs)',
    (v: string) => (v === 'max' ? Number.POSITIVE_INFINITY : Number(v)),
    Number.POSITIVE_INFINITY,
  )
  .option('--out <dir>', 'where results.json and the charts go', 'bench')
  .option('--no-markdown', 'leave BENCHMARKS.md alone (quick checks)')
  .parse()
  .opts<{ customers: number; plan: number; timeScale: number; out: string; markdown: boolean }>();

/** Send rate of the campaign run, per channel and second. */
const BENCH_RATE = 100;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (text: string) => console.log(text);

function generateCustomers(count: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'revisit-bench-customers-')), `customers-${count}.csv`);
  execFileSync(process.execPath, ['--import', 'tsx', 'examples/generate-customers.ts', String(count), file], { stdio: 'ignore' });
  return file;
}

function javaVersion(): string {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (out.stderr || out.stdout).split('\n')[0]?.trim() ?? 'unknown';
}

/** The AWS bill of 1,000 customers at the measured counts (us-east-1 list prices, `pricing` defaults). */
function costPer1000(run: CampaignBench, pricing: Pricing) {
  const n = 1000;
  const invocations = run.lambdaInvocationsPerCustomer * n;
  const stepFunctions = run.transitionsPerCustomer * n * pricing.stepFunctionsPerTransition;
  const lambda =
    invocations * pricing.lambdaPerRequest +
    invocations * (pricing.lambdaAverageMs / 1000) * (pricing.lambdaMemoryMb / 1024) * pricing.lambdaPerGbSecond;
  const dynamoDb =
    run.ddbWritesPerCustomer * n * pricing.dynamoDbPerWrite + run.ddbReadsPerCustomer * n * pricing.dynamoDbPerRead;
  const perCustomer = (count: number) => (count / run.customers) * n;
  let sms = 0;
  for (const [country, parts] of Object.entries(run.messages.smsPartsByCountry)) {
    sms += perCustomer(parts) * (pricing.smsPerPart[country] ?? pricing.smsPerPart.default ?? 0);
  }
  const email = perCustomer(run.messages.email) * pricing.sesPerEmail;
  return {
    aws: round(stepFunctions + lambda + dynamoDb, 4),
    stepFunctions: round(stepFunctions, 4),
    lambda: round(lambda, 4),
    dynamoDb: round(dynamoDb, 4),
    messages: round(sms + email, 2),
    sms: round(sms, 2),
    email: round(email, 2),
  };
}

async function main() {
  const startedAt = new Date();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    java: javaVersion(),
  };
  log(`revisit bench on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.java}`);

  log('1/6 DynamoDB Local, raw');
  const ddb = await measureDynamoDbLocal(64, 6000);
  log(
    `    mixed ${round(ddb.mixedPerSecond, 0)} requests/s (put ${round(ddb.putPerSecond, 0)}, get ${round(ddb.getPerSecond, 0)}, query ${round(ddb.queryPerSecond, 0)}), ${ddb.concurrency} in flight`,
  );

  log('2/6 one customer, happy path');
  const happy = await measureHappyPath();
  log(
    `    ${happy.transitions} transitions, ${happy.lambdaInvocations} invocations, ${happy.ddbWrites} writes, ${happy.ddbReads} reads`,
  );

  log(`3/6 ${options.customers.toLocaleString('en-US')}-customer campaign`);
  const campaign = await loadCampaignFile('examples/spring-festival-2027.yaml');
  // The example campaign with a production account's provider rates (a US short code sends 100 SMS parts
  // a second; SES production accounts are raised to 100 e-mails a second and more): at the example's
  // 20 and 14 a second, 10,000 first touches alone take over five minutes of the campaign's time.
  const run = await benchCampaign({
    customersFile: generateCustomers(options.customers),
    campaign: { ...campaign, sendRates: { smsPerSecond: BENCH_RATE, emailPerSecond: BENCH_RATE } },
    timeScale: options.timeScale,
    replies: 'simulate',
    label: 'campaign',
  });
  const bound = ddb.mixedPerSecond / run.ddbOpsPerCustomer;
  log(
    `    ${round(run.seconds, 1)} s: ${round(run.customersPerSecond, 1)} customers/s, bound ${round(bound, 1)}/s (${round((run.customersPerSecond / bound) * 100, 0)}%)`,
  );

  log('4/6 cost per 1,000 customers');
  const pricing = pricingSchema.parse({});
  const cost = costPer1000(run, pricing);
  log(
    `    AWS USD ${cost.aws} (Step Functions ${cost.stepFunctions}, Lambda ${cost.lambda}, DynamoDB ${cost.dynamoDb}); messages USD ${cost.messages}`,
  );

  log(`5/6 ${options.plan.toLocaleString('en-US')}-customer plan`);
  const planFile = generateCustomers(options.plan);
  const planOut = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/plan-child.ts', planFile, mkdtempSync(join(tmpdir(), 'revisit-bench-plan-'))],
    { encoding: 'utf8', maxBuffer: 10 * 1024 * 1024 },
  );
  if (planOut.status !== 0) throw new Error(`the plan run failed: ${planOut.stderr}`);
  const plan = JSON.parse(planOut.stdout.trim().split('\n').at(-1) ?? '{}') as { seconds: number; peakRssMb: number };
  log(`    ${round(plan.seconds, 1)} s, peak ${round(plan.peakRssMb, 0)} MB`);

  log('6/6 send rate with a large backlog');
  const smsOnly = Object.fromEntries(
    ['churn-warning', 'core', 'potential', 'new', 'active', 'dormant', 'lost'].map((s) => [
      s,
      { channels: ['sms'], accountManagerTask: false },
    ]),
  );
  const configured = 10;
  const rateRun = await benchCampaign({
    customersFile: generateCustomers(600),
    campaign: {
      ...campaign,
      id: 'bench-send-rate',
      segments: Object.fromEntries(
        Object.entries(campaign.segments).map(([s, rule]) => [s, { ...rule, ...(smsOnly[s] as object) }]),
      ) as typeof campaign.segments,
      sendRates: { smsPerSecond: configured, emailPerSecond: 14 },
    },
    timeScale: options.timeScale,
    replies: 'none',
    label: 'send rate',
  });
  const sendRate = sendRateOf(rateRun.outbox, configured);
  log(
    `    ${sendRate.sends} SMS: peak ${sendRate.peakObservedPerSecond} in a second of the clock (${sendRate.peakSlidingPerSecond} in any sliding second), sustained ${round(sendRate.sustainedRatio * 100, 0)}% of ${configured}/s`,
  );
  log(asciichart.plot(sendRate.perSecond.slice(0, 120), { height: 6 }));

  const results = {
    date: startedAt.toISOString(),
    machine,
    command: `npm run bench -- --customers ${options.customers} --plan ${options.plan}${Number.isFinite(options.timeScale) ? ` --time-scale ${options.timeScale}` : ''}`,
    ddbOpsPerSecond: round(ddb.mixedPerSecond, 0),
    ddbRaw: {
      concurrency: ddb.concurrency,
      put: round(ddb.putPerSecond, 0),
      get: round(ddb.getPerSecond, 0),
      query: round(ddb.queryPerSecond, 0),
    },
    campaignCustomers: run.customers,
    campaignSeconds: round(run.seconds, 1),
    customersPerSecond: round(run.customersPerSecond, 1),
    ddbOpsPerCustomer: round(run.ddbOpsPerCustomer, 1),
    ddbReadsPerCustomer: round(run.ddbReadsPerCustomer, 1),
    ddbWritesPerCustomer: round(run.ddbWritesPerCustomer, 1),
    transitionsPerCustomer: round(run.transitionsPerCustomer, 1),
    lambdaInvocationsPerCustomer: round(run.lambdaInvocationsPerCustomer, 2),
    handlerMsPerInvocation: round(run.handlerMsPerInvocation, 1),
    peakRssMb: round(run.peakRssMb, 0),
    jvmPeakRssMb: run.jvmPeakRssMb === null ? null : round(run.jvmPeakRssMb, 0),
    throughputBound: round(bound, 1),
    // Three digits: a ratio of 0.499 is not "0.5, met".
    throughputRatio: round(run.customersPerSecond / bound, 3),
    campaignSummary: run.summary,
    happyPath: happy,
    costPer1000CustomersUsd: cost.aws,
    cost,
    plan100k: { customers: options.plan, seconds: round(plan.seconds, 1), peakRssMb: round(plan.peakRssMb, 0) },
    sendRate: {
      configuredPerSecond: sendRate.configuredPerSecond,
      peakObservedPerSecond: sendRate.peakObservedPerSecond,
      peakSlidingPerSecond: sendRate.peakSlidingPerSecond,
      sustainedRatio: round(sendRate.sustainedRatio, 2),
      sends: sendRate.sends,
    },
  };
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(options.out, 'throughput.svg'), throughputChart(bound, run.customersPerSecond, 10_000 / 60));
  writeFileSync(join(options.out, 'send-rate.svg'), sendRateChart(sendRate.perSecond.slice(0, 120), configured));
  if (options.markdown) writeBenchmarksMd(results);
  log(`results: ${join(options.out, 'results.json')}${options.markdown ? ', BENCHMARKS.md' : ''}`);
  return results;
}

type Results = Awaited<ReturnType<typeof main>>;

/** Replaces the generated part of BENCHMARKS.md (between its markers), keeping the text around it. */
function writeBenchmarksMd(results: Results): void {
  const r = results;
  const pass = (ok: boolean) => (ok ? 'met' : '**not met**');
  const generated = [
    '<!-- bench:begin (written by npm run bench; edit the text outside these markers) -->',
    `Measured ${results.date.slice(0, 10)} on ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.java}, with \`${results.command}\`. Raw numbers: [bench/results.json](bench/results.json).`,
    '',
    '| measure | value | target |',
    '| --- | --- | --- |',
    `| DynamoDB Local, mixed put/get/query, ${r.ddbRaw.concurrency} in flight | ${r.ddbOpsPerSecond} requests/s (put ${r.ddbRaw.put}, get ${r.ddbRaw.get}, query ${r.ddbRaw.query}) | |`,
    `| campaign end to end (${r.campaignCustomers} customers, simulated replies, ${BENCH_RATE} SMS and ${BENCH_RATE} e-mails a second) | ${r.campaignSeconds} s, ${r.customersPerSecond} customers/s | under 60 s: ${pass(r.campaignSeconds < 60)} |`,
    `| DynamoDB requests per customer | ${r.ddbOpsPerCustomer} (${r.ddbReadsPerCustomer} reads, ${r.ddbWritesPerCustomer} writes) | |`,
    `| throughput bound (DynamoDB Local ÷ requests per customer) | ${r.throughputBound} customers/s | |`,
    `| achieved ÷ bound | ${r.throughputRatio} | at least 0.5: ${pass(r.throughputRatio >= 0.5)} |`,
    `| state transitions per customer | ${r.transitionsPerCustomer} | |`,
    `| Lambda invocations per customer | ${r.lambdaInvocationsPerCustomer} (${r.handlerMsPerInvocation} ms each here) | |`,
    `| peak memory | ${r.peakRssMb} MB (engine, handlers, simulator) + ${r.jvmPeakRssMb ?? '?'} MB (DynamoDB Local) | |`,
    `| happy path (one touch, one reply, evaluate) | ${r.happyPath.transitions} transitions, ${r.happyPath.lambdaInvocations} invocations, ${r.happyPath.ddbWrites} writes (${r.happyPath.ddbReads} reads) | ≤ 12, ≤ 4, ≤ 8: ${pass(r.happyPath.transitions <= 12 && r.happyPath.lambdaInvocations <= 4 && r.happyPath.ddbWrites <= 8)} |`,
    `| AWS cost per 1,000 customers | USD ${r.costPer1000CustomersUsd} (Step Functions ${r.cost.stepFunctions}, Lambda ${r.cost.lambda}, DynamoDB ${r.cost.dynamoDb}) | |`,
    `| message fees per 1,000 customers, apart | USD ${r.cost.messages} (SMS ${r.cost.sms}, e-mail ${r.cost.email}) | |`,
    `| ${r.plan100k.customers.toLocaleString('en-US')}-customer plan | ${r.plan100k.seconds} s, peak ${r.plan100k.peakRssMb} MB | under 30 s and 1 GiB: ${pass(r.plan100k.seconds < 30 && r.plan100k.peakRssMb < 1024)} |`,
    `| SMS sender, large backlog (${r.sendRate.sends} sends) | peak ${r.sendRate.peakObservedPerSecond} in a second of the clock (${r.sendRate.peakSlidingPerSecond} in any sliding second) at ${r.sendRate.configuredPerSecond}/s configured, sustained ${Math.round(r.sendRate.sustainedRatio * 100)}% | never over, at least 90%: ${pass(r.sendRate.peakObservedPerSecond <= r.sendRate.configuredPerSecond && r.sendRate.sustainedRatio >= 0.9)} |`,
    '',
    `The campaign's outcome: ${r.campaignSummary.contacted} contacted, ${r.campaignSummary.replied} replied, ${r.campaignSummary.escalations} escalated, ${r.campaignSummary.failed} failed.`,
    `Happy path states: ${r.happyPath.states.join(' → ')}; writes: ${Object.entries(r.happyPath.writesByCommand)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${n} ${name.replace('Command', '')}`)
      .join(', ')}.`,
    '',
    '![Customers per second](bench/throughput.svg)',
    '',
    '![SMS per second](bench/send-rate.svg)',
    '<!-- bench:end -->',
  ].join('\n');
  let text: string;
  try {
    text = readFileSync('BENCHMARKS.md', 'utf8');
  } catch {
    text = '# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n';
  }
  const start = text.indexOf('<!-- bench:begin');
  const end = text.indexOf('<!-- bench:end -->');
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${generated}${text.slice(end + '<!-- bench:end -->'.length)}`
      : `${text.trimEnd()}\n\n${generated}\n`;
  writeFileSync('BENCHMARKS.md', next);
}

await main();
