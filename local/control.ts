import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { campaignStatus, cancelCampaign, pauseCampaign, resumeCampaign } from '../functions/core/use-cases/operate.js';
import type { LocalRuntime } from './runtime.js';

/**
 * How `revisit pause|resume|cancel|status` reach a `revisit run` in another process: DynamoDB Local's
 * files belong to the run while it runs, so the commands leave a request in the data folder
 * (`control/<campaign>.json`), the run carries it out within a quarter second through the same use cases
 * as in AWS and removes it, and the run keeps `status/<campaign>.json` current every second.
 */
export const controlRequestSchema = z.object({
  action: z.enum(['pause', 'resume', 'cancel']),
  reason: z.string().max(500).nullable(),
  requestedAt: z.string(),
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
  const file = join(dataDir, 'control', fileName(campaignId));
  writeFileSync(file, JSON.stringify(request));
  return file;
}

export function readStatusFile(dataDir: string, campaignId: string): unknown | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'status', fileName(campaignId)), 'utf8'));
  } catch {
    return null;
  }
}

/** Carries out one request, in this process (the run's, or the command's own when no run is live). */
export async function applyControl(runtime: LocalRuntime, campaignId: string, request: ControlRequest) {
  switch (request.action) {
    case 'pause':
      return pauseCampaign(runtime.operate, campaignId, request.reason);
    case 'resume':
      return resumeCampaign(runtime.operate, campaignId);
    case 'cancel':
      return cancelCampaign(runtime.operate, campaignId, request.reason ?? 'cancelled by an operator');
  }
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
        const parsed = controlRequestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        rmSync(file, { force: true });
        if (parsed.success) await applyControl(runtime, decodeURIComponent(name.replace(/\.json$/, '')), parsed.data);
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
    campaignStatus(runtime.operate, campaignId)
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
