import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../functions/core/errors.js';
import type { ProgramStore } from '../functions/core/ports/index.js';
import { campaignSchema } from '../functions/core/schemas.js';
import {
  campaignStatus,
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  updateCampaignSettings,
} from '../functions/core/use-cases/operate.js';
import {
  cancelProgram,
  type ProgramOperateDeps,
  pauseProgram,
  programStatus,
  resumeProgram,
} from '../functions/core/use-cases/program-control.js';
import type { LocalRuntime } from '../local/runtime.js';

/**
 * How `revisit pause|resume|cancel|status` reach a `revisit run` in another process: DynamoDB Local's
 * files belong to the run while it runs, so the commands leave a request in the data folder
 * (`control/<campaign>.json`), the run carries it out within a quarter second through the same use cases
 * as in AWS and removes it, and the run keeps `status/<campaign>.json` current every second.
 */
const controlRequestSchema = z.object({
  action: z.enum(['pause', 'resume', 'cancel', 'update']),
  reason: z.string().max(500).nullable(),
  requestedAt: z.string(),
  /** update: the new settings, validated by the command and again here. */
  campaign: campaignSchema.optional(),
});
export type ControlRequest = z.infer<typeof controlRequestSchema>;

const fileName = (campaignId: string) => `${encodeURIComponent(campaignId)}.json`;

/** The pid of the run holding `dataDir`, when that process is alive. */
export function liveRun(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, 'run.lock'), 'utf8'));
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export function requestControl(dataDir: string, campaignId: string, request: ControlRequest): string {
  mkdirSync(join(dataDir, 'control'), { recursive: true });
  rmSync(join(dataDir, 'control', `${fileName(campaignId)}.done`), { force: true });
  const file = join(dataDir, 'control', fileName(campaignId));
  // Written aside and renamed into place: the run never reads half a request.
  writeFileSync(`${file}.tmp`, JSON.stringify(request));
  renameSync(`${file}.tmp`, file);
  return file;
}

export function readStatusFile(dataDir: string, campaignId: string): unknown | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'status', fileName(campaignId)), 'utf8'));
  } catch {
    return null;
  }
}

/** Whether `id` names a standing program (and no campaign of that id): the operations then act on the program. */
async function isProgram(deps: Partial<Pick<ProgramOperateDeps, 'programs'>> & Pick<ProgramOperateDeps, 'repo'>, id: string) {
  if (!deps.programs) return false;
  return (await deps.programs.getProgram(id)) !== null && (await deps.repo.getCampaign(id)) === null;
}

/** `revisit status` of a campaign or of a standing program (its waves added up), by its id. */
export async function statusOfAny(deps: Parameters<typeof campaignStatus>[0] & { programs?: ProgramStore }, id: string) {
  if (deps.programs && (await isProgram({ repo: deps.repo, programs: deps.programs } as ProgramOperateDeps, id)))
    return programStatus({ ...deps, programs: deps.programs }, id);
  return campaignStatus(deps, id);
}

/** Carries out one request through the use cases, on the dependencies of wherever the campaign (or program) runs. */
export async function carryOut(
  deps: Parameters<typeof cancelCampaign>[0] & { programs?: ProgramStore },
  campaignId: string,
  request: ControlRequest,
) {
  if (deps.programs && (await isProgram(deps, campaignId))) {
    const programDeps = { ...deps, programs: deps.programs };
    switch (request.action) {
      case 'pause':
        return pauseProgram(programDeps, campaignId, request.reason);
      case 'resume':
        return resumeProgram(programDeps, campaignId);
      case 'cancel':
        return cancelProgram(programDeps, campaignId, request.reason ?? 'cancelled by an operator');
      case 'update':
        throw new InvalidInputError(
          `${campaignId} is a program: its settings change by launching it again with the changed program file (revisit launch --program FILE)`,
        );
    }
  }
  switch (request.action) {
    case 'pause':
      return pauseCampaign(deps, campaignId, request.reason);
    case 'resume':
      return resumeCampaign(deps, campaignId);
    case 'cancel':
      return cancelCampaign(deps, campaignId, request.reason ?? 'cancelled by an operator');
    case 'update': {
      if (!request.campaign) throw new Error('an update request carries the campaign');
      return updateCampaignSettings(deps, campaignId, request.campaign);
    }
  }
}

/** Carries out one request, in this process (the run's, or the command's own when no run is live). */
export function applyControl(runtime: LocalRuntime, campaignId: string, request: ControlRequest) {
  return carryOut(runtime.operate, campaignId, request);
}

/** The run's side: take the lock, answer requests, keep the status file current. Returns the stop function. */
export function serveControl(runtime: LocalRuntime, dataDir: string, campaignId: string): () => void {
  mkdirSync(join(dataDir, 'control'), { recursive: true });
  mkdirSync(join(dataDir, 'status'), { recursive: true });
  writeFileSync(join(dataDir, 'run.lock'), String(process.pid));
  let busy = false;
  const poll = setInterval(() => {
    if (busy) return;
    busy = true;
    (async () => {
      for (const name of readdirSync(join(dataDir, 'control'))) {
        const file = join(dataDir, 'control', name);
        if (!name.endsWith('.json')) continue;
        const campaignId = decodeURIComponent(name.replace(/\.json$/, ''));
        let outcome: ControlOutcome;
        try {
          const parsed = controlRequestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
          outcome = parsed.success
            ? { ok: true, result: await applyControl(runtime, campaignId, parsed.data) }
            : { ok: false, error: `not a control request: ${parsed.error.message}` };
        } catch (error) {
          outcome = { ok: false, error: (error as Error).message };
        }
        writeFileSync(join(dataDir, 'control', `${name}.done`), JSON.stringify(outcome));
        rmSync(file, { force: true });
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, 250);
  let writing = false;
  const status = setInterval(() => {
    if (writing) return;
    writing = true;
    statusOfAny(runtime.operate, campaignId)
      .then((s) => writeFileSync(join(dataDir, 'status', fileName(campaignId)), JSON.stringify({ ...s, live: true })))
      .catch(() => undefined)
      .finally(() => {
        writing = false;
      });
  }, 1000);
  return () => {
    clearInterval(poll);
    clearInterval(status);
    rmSync(join(dataDir, 'run.lock'), { force: true });
    rmSync(join(dataDir, 'status', fileName(campaignId)), { force: true });
  };
}

export function controlPending(dataDir: string, campaignId: string): boolean {
  return existsSync(join(dataDir, 'control', fileName(campaignId)));
}

/** What the run made of a request: its result, or why it refused it. */
export type ControlOutcome = { ok: true; result: unknown } | { ok: false; error: string };

/** The outcome of the last request the run carried out for a campaign (read once: the file is removed). */
export function takeControlOutcome(dataDir: string, campaignId: string): ControlOutcome | null {
  const file = join(dataDir, 'control', `${fileName(campaignId)}.done`);
  try {
    const outcome = JSON.parse(readFileSync(file, 'utf8')) as ControlOutcome;
    rmSync(file, { force: true });
    return outcome;
  } catch {
    return null;
  }
}
