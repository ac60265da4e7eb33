import { InvalidInputError } from '../errors.js';
import type { ProgramRecord, ProgramStore } from '../ports/index.js';
import {
  type CampaignStatus,
  campaignStatus,
  cancelCampaign,
  LIFECYCLE_STATES,
  type OperateResult,
  pauseCampaign,
  resumeCampaign,
} from './operate.js';

/** What the program operations need: a campaign's operations (each wave is one) and the program store. */
export type ProgramOperateDeps = Parameters<typeof cancelCampaign>[0] & { programs: ProgramStore };

async function loadProgramRecord(deps: Pick<ProgramOperateDeps, 'programs'>, programId: string): Promise<ProgramRecord> {
  const record = await deps.programs.getProgram(programId);
  if (!record) throw new InvalidInputError(`no program ${programId}`);
  return record;
}

const statusOf = async (deps: Pick<ProgramOperateDeps, 'programs'>, programId: string) =>
  (await loadProgramRecord(deps, programId)).status;

/**
 * Pauses a program: its sweeps hold their day (nothing new is claimed; swept again after the resume) and
 * every wave still running is paused like a campaign (no message goes out; replies, tickets and managers'
 * e-mails go on).
 */
export async function pauseProgram(deps: ProgramOperateDeps, programId: string, reason: string | null): Promise<OperateResult> {
  await loadProgramRecord(deps, programId);
  const at = deps.clock.now().toISOString();
  const changed = await deps.programs.setProgramStatus(programId, ['running'], 'paused', reason, at);
  for (const wave of await deps.programs.listWaves(programId)) {
    const record = await deps.repo.getCampaign(wave.waveId);
    if (record?.status === 'running') await pauseCampaign(deps, wave.waveId, reason);
  }
  return { changed, status: await statusOf(deps, programId), lifecycles: 0 };
}

/**
 * Resumes a paused program: the held day is swept (touches whose next cycle came meanwhile are recorded
 * as skipped, with the reason), and every paused wave resumes: each held lifecycle sends its touch once.
 */
export async function resumeProgram(deps: ProgramOperateDeps, programId: string): Promise<OperateResult> {
  await loadProgramRecord(deps, programId);
  const at = deps.clock.now().toISOString();
  const changed = await deps.programs.setProgramStatus(programId, ['paused'], 'running', null, at);
  let woken = 0;
  for (const wave of await deps.programs.listWaves(programId)) {
    const record = await deps.repo.getCampaign(wave.waveId);
    if (record?.status === 'paused') woken += (await resumeCampaign(deps, wave.waveId)).lifecycles;
  }
  return { changed, status: await statusOf(deps, programId), lifecycles: woken };
}

/** Cancels a program: no more sweeps, and every wave's lifecycles still in progress stopped with the reason. */
export async function cancelProgram(deps: ProgramOperateDeps, programId: string, reason: string): Promise<OperateResult> {
  await loadProgramRecord(deps, programId);
  const at = deps.clock.now().toISOString();
  const changed = await deps.programs.setProgramStatus(programId, ['running', 'paused'], 'cancelled', reason, at);
  let stopped = 0;
  for (const wave of await deps.programs.listWaves(programId)) {
    const record = await deps.repo.getCampaign(wave.waveId);
    if (record && record.status !== 'cancelled' && record.status !== 'finished')
      stopped += (await cancelCampaign(deps, wave.waveId, reason)).lifecycles;
  }
  return { changed, status: await statusOf(deps, programId), lifecycles: stopped };
}

export interface ProgramStatus extends CampaignStatus {
  program: { from: string; until: string | null; waves: number; lastWave: string | null };
}

/**
 * `revisit status` of a program: its own status, and its waves' lifecycles added up as one campaign's
 * (by state, channel, tier, outcome; sends, SLA breaches, failures).
 */
export async function programStatus(
  deps: Parameters<typeof campaignStatus>[0] & { programs: ProgramStore },
  programId: string,
): Promise<ProgramStatus> {
  const record = await loadProgramRecord(deps, programId);
  const waves = await deps.programs.listWaves(programId);
  const statuses: CampaignStatus[] = [];
  for (const wave of waves) {
    if (await deps.repo.getCampaign(wave.waveId))
      statuses.push(await campaignStatus({ repo: deps.repo, clock: deps.clock }, wave.waveId));
  }
  const total: ProgramStatus = {
    campaignId: programId,
    status: record.status,
    statusReason: record.statusReason,
    customers: 0,
    launch: null,
    byState: Object.fromEntries(
      LIFECYCLE_STATES.map((s) => [s, { total: 0, sms: 0, email: 0, diamond: 0, gold: 0, silver: 0, basic: 0 }]),
    ) as CampaignStatus['byState'],
    inFlight: 0,
    finishedBy: {},
    sentByChannel: { sms: 0, email: 0 },
    byTier: {},
    sendRatePerSecond: 0,
    slaBreaches: 0,
    failures: [],
    settingsUpdatedAt: record.settingsUpdatedAt,
    program: { from: record.from, until: record.until, waves: waves.length, lastWave: waves.at(-1)?.waveId ?? null },
  };
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
  };
  for (const s of statuses) {
    total.customers += s.customers;
    total.inFlight += s.inFlight;
    total.slaBreaches += s.slaBreaches;
    total.sendRatePerSecond += s.sendRatePerSecond;
    add(total.finishedBy, s.finishedBy);
    add(total.sentByChannel, s.sentByChannel);
    add(total.byTier, s.byTier);
    for (const [state, counts] of Object.entries(s.byState)) {
      add(total.byState[state as keyof CampaignStatus['byState']], counts);
    }
    for (const failure of s.failures) {
      const seen = total.failures.find((f) => f.reason === failure.reason);
      if (seen) {
        seen.count += failure.count;
        seen.customerIds = [...seen.customerIds, ...failure.customerIds].slice(0, 5);
      } else total.failures.push({ ...failure });
    }
  }
  total.failures.sort((a, b) => b.count - a.count);
  total.sendRatePerSecond = Math.round(total.sendRatePerSecond * 100) / 100;
  return total;
}
