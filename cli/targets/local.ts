import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import {
  applyControl,
  type ControlRequest,
  controlPending,
  liveRun,
  readStatusFile,
  requestControl,
  statusOfAny,
  takeControlOutcome,
} from '../../files/control.js';
import { NotFoundError } from '../../functions/core/errors.js';
import type { Program } from '../../functions/core/programs/schema.js';
import type { Campaign } from '../../functions/core/schemas.js';
import type { campaignStatus } from '../../functions/core/use-cases/operate.js';
import type { LocalRuntime } from '../../local/runtime.js';
import { formatSummary } from '../format.js';
import type { OperateDeps, ProgramLaunchOptions, Target } from './target.js';

/**
 * Runs `fn` with a runtime on the data folder, when no run holds it; the runtime's files go to `outDir`
 * (by default the folder's own `operate`).
 */
export async function withDataFolder<T>(
  dataDir: string,
  fn: (runtime: LocalRuntime) => Promise<T>,
  outDir = join(dataDir, 'operate'),
): Promise<T> {
  const { startLocalRuntime } = await import('../../local/runtime.js');
  const { VirtualClock } = await import('../../local/virtual-clock.js');
  const runtime = await startLocalRuntime({ outDir, dataDir, clock: new VirtualClock(new Date(), 1) });
  try {
    return await fn(runtime);
  } finally {
    await runtime.stop();
  }
}

/**
 * `withDataFolder` once no `revisit run` holds the folder (DynamoDB Local's files belong to the run while it
 * runs); `what` says what waits for it ("erase a customer").
 */
export function withIdleDataFolder<T>(dataDir: string, what: string, fn: (runtime: LocalRuntime) => Promise<T>): Promise<T> {
  const pid = liveRun(dataDir);
  if (pid !== null)
    throw new InvalidArgumentError(
      `a campaign run (process ${pid}) holds ${dataDir}: ${what} once it has ended (DynamoDB Local's files belong to the run while it runs)`,
    );
  return withDataFolder(dataDir, fn);
}

/** The local engine on a data folder: through the running `revisit run` that holds it, or on the folder itself. */
export class LocalTarget implements Target {
  readonly kind = 'local';
  readonly flags = '';

  constructor(private readonly dataDir: string) {}

  async launch(campaign: Campaign, options: { customersFile: string; outDir: string; resume: boolean }): Promise<string> {
    const { runCampaign } = await import('../../local/run-campaign.js');
    const result = await runCampaign({
      customersFile: options.customersFile,
      campaign,
      outDir: options.outDir,
      replies: 'simulate',
      seed: 42,
      timeScale: Number.POSITIVE_INFINITY,
      dataDir: this.dataDir,
      resume: options.resume,
    });
    return formatSummary(result.summary, options.outDir, 0);
  }

  async launchProgram(program: Program, options: ProgramLaunchOptions): Promise<string> {
    if (!options.customersFile) throw new InvalidArgumentError('--customers: a program run locally imports its customers first');
    if (options.months === null) throw new InvalidArgumentError('--months: a program run locally runs for a number of months');
    const { runProgram } = await import('../../local/run-program.js');
    const { formatProgramRun } = await import('../program-report.js');
    const started = performance.now();
    const result = await runProgram({
      customersFile: options.customersFile,
      program,
      eventsFile: options.eventsFile ?? undefined,
      from: options.from,
      months: options.months,
      outDir: options.outDir,
      replies: 'simulate',
      seed: 42,
      timeScale: Number.POSITIVE_INFINITY,
      dataDir: this.dataDir,
      resume: options.resume,
    });
    return formatProgramRun(result.summary, program, options.outDir, (performance.now() - started) / 1000);
  }

  /**
   * A data folder without a database holds no campaign: say so without starting DynamoDB Local (whose
   * start takes seconds, and would leave a database behind).
   */
  private refuseWithoutDatabase(campaignId: string): void {
    const dynamodb = join(this.dataDir, 'dynamodb');
    if (!existsSync(dynamodb) || !readdirSync(dynamodb).some((file) => file.endsWith('.db')))
      throw new NotFoundError(`campaign ${campaignId} does not exist`);
  }

  async status(campaignId: string) {
    const running = liveRun(this.dataDir) !== null;
    if (!running) this.refuseWithoutDatabase(campaignId);
    const live = running ? readStatusFile(this.dataDir, campaignId) : null;
    return (
      (live as (Awaited<ReturnType<typeof campaignStatus>> & { live: boolean }) | null) ??
      (await withDataFolder(this.dataDir, (rt) => statusOfAny(rt.operate, campaignId)))
    );
  }

  async operate(campaignId: string, request: ControlRequest): Promise<{ where: string; result: unknown }> {
    const dataDir = this.dataDir;
    if (liveRun(dataDir) !== null) {
      requestControl(dataDir, campaignId, request);
      for (let waited = 0; controlPending(dataDir, campaignId) && waited < 10_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const outcome = takeControlOutcome(dataDir, campaignId);
      if (controlPending(dataDir, campaignId) || !outcome)
        throw new InvalidArgumentError('the running campaign did not take the request within 10 s');
      if (!outcome.ok) throw new InvalidArgumentError(outcome.error);
      return { where: 'by the running campaign', result: outcome.result };
    }
    // An update first checks the file's campaign id against the one named (its error comes first).
    if (request.action !== 'update') this.refuseWithoutDatabase(campaignId);
    const result = await withDataFolder(dataDir, (rt) => applyControl(rt, campaignId, request));
    return { where: `in ${dataDir}`, result };
  }

  /** Data subject requests on the data folder wait for a run that holds it: DynamoDB Local's files belong to the run. */
  async withRecords<T>(what: string, fn: (deps: OperateDeps) => Promise<T>): Promise<{ where: string; result: T }> {
    const result = await withIdleDataFolder(this.dataDir, what, (rt) => fn(rt.operate));
    return { where: `in ${this.dataDir}`, result };
  }
}
