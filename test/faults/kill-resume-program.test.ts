import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { readOutbox } from '../../local/outbox.js';
import { dataDirFor } from '../support/data-dir.js';
import { type KillPoint, runUntil } from './support.js';

// A standing program's year (test/e2e/program-run.test.ts's customers, events and program), killed with
// SIGKILL at random points (node and DynamoDB Local's Java), then resumed with `revisit program run
// --resume` on the same folders until it ends. Each seed kills once the outbox holds a random number of
// lines (5-80) after a random delay (0-500 ms); odd seeds kill the resumed run once more.
const SEEDS = [1, 2, 3];

function programRun(outDir: string, dataDir: string, resume: boolean, env: NodeJS.ProcessEnv) {
  const args = ['bin/revisit.mjs', 'program', 'run', '--customers', 'test/fixtures/program-customers.csv'];
  args.push('--program', 'test/fixtures/program-e2e.yaml', '--events', 'test/fixtures/program-events.jsonl');
  args.push('--from', '2027-01-01', '--months', '12', '--out', outDir, '--data', dataDir, '--seed', '42');
  if (resume) args.push('--resume');
  return spawn(process.execPath, args, { detached: true, stdio: 'ignore', env });
}

describe('a program run killed with -9, then revisit program run --resume', { concurrent: true }, () => {
  it.each(SEEDS)('seed %i: every message sent once, every cadence and follow-up touch sent', async (seed) => {
    // Prepare: where this seed kills
    const rng = xoroshiro128plus(seed * 104_729);
    const kills: KillPoint[] = [{ lines: uniformInt(rng, 5, 80), delayMs: uniformInt(rng, 0, 500) }];
    if (seed % 2 === 1) kills.push({ lines: uniformInt(rng, 5, 40), delayMs: uniformInt(rng, 0, 500) });
    const outDir = mkdtempSync(join(tmpdir(), `revisit-kill-program-${seed}-out-`));
    const dataDir = dataDirFor(`revisit-kill-program-${seed}-data-`);

    // Act: run, kill, resume (and kill again), then resume to the end
    const killed: boolean[] = [];
    for (const [i, at] of kills.entries())
      killed.push((await runUntil(outDir, at, (env) => programRun(outDir, dataDir, i > 0, env))).killed);
    const last = await runUntil(outDir, null, (env) => programRun(outDir, dataDir, true, env));

    // Assess: killed mid-run, ended well, nothing sent twice, nothing lost
    expect(killed[0]).toBe(true);
    expect(last.code).toBe(0);
    const outbox = readOutbox(join(outDir, 'outbox.jsonl'));
    const keys = outbox.map((e) => `${e.kind}|${e.campaignId}|${e.customerId}|${e.touch}|${e.channel}`);
    expect(keys.length - new Set(keys).size).toBe(0);
    const firstTouches = (customerId: string, trigger: string) =>
      outbox.filter((e) => e.kind === 'touch' && e.touch === 1 && e.customerId === customerId && e.trigger === trigger).length;
    expect({
      P002: firstTouches('P002', 'cadence'),
      P006: firstTouches('P006', 'cadence'),
      P014: firstTouches('P014', 'cadence'),
      P009: firstTouches('P009', 'cadence'),
      P012: firstTouches('P012', 'cadence'),
      P010: ['3d', '7d', '30d', '90d'].map((step) => firstTouches('P010', `purchase+${step}`)),
    }).toEqual({ P002: 24, P006: 12, P014: 12, P009: 4, P012: 2, P010: [1, 1, 1, 1] });
  });
});
