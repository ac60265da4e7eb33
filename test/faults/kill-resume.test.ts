import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { dataDirFor } from '../support/data-dir.js';
import { type KillPoint, recordsOf, runUntil, violationsOf } from './support.js';

// The runner killed with SIGKILL at random points (node and DynamoDB Local's Java, the whole process
// group), then resumed with `revisit run --resume` on the same folders, until the campaign ends. Seeds 1-10
// kill at a random moment of the run: once the outbox holds a random number of lines (1-30), after a
// random delay (0-500 ms); seeds 11-20 make the runner kill itself at the worst moments, right after its
// N-th claim of a message (before the provider call) or its N-th send (before the send is recorded), N
// random. Odd seeds kill the resumed run once more, at a random moment. The runs use the default,
// event-driven clock: a point is chosen by the run's progress, not by the wall clock, so that it lands
// mid-run however fast or loaded the machine is.
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const CUSTOMERS = 'test/fixtures/customers-20.csv';
const VALID_CUSTOMERS = 20;
const CAMPAIGN_ID = 'spring-festival-2027';

function revisitRun(outDir: string, dataDir: string, seed: number, resume: boolean, env: NodeJS.ProcessEnv): ChildProcess {
  const args = ['bin/revisit.mjs', 'run', '--customers', CUSTOMERS, '--campaign', 'examples/spring-festival-2027.yaml'];
  args.push('--out', outDir, '--data', dataDir, '--seed', String(seed));
  if (resume) args.push('--resume');
  return spawn(process.execPath, args, { detached: true, stdio: 'ignore', env });
}

describe('kill -9 at random points, then revisit run --resume', { concurrent: true }, () => {
  it.each(SEEDS)('seed %i: every touch sent once, every answer recorded once, every lifecycle ended', async (seed) => {
    // Prepare: where this seed kills (ms after the start of each run it kills)
    const rng = xoroshiro128plus(seed * 7919);
    const first: KillPoint =
      seed <= 10
        ? { lines: uniformInt(rng, 1, 30), delayMs: uniformInt(rng, 0, 500) }
        : { crashAfter: `${seed % 4 < 2 ? 'claim' : 'send'}:${uniformInt(rng, 1, 15)}` };
    const again: KillPoint = { lines: uniformInt(rng, 1, 15), delayMs: uniformInt(rng, 0, 500) };
    const killPoints: KillPoint[] = [first, ...(seed % 2 === 1 ? [again] : [])];
    const outDir = mkdtempSync(join(tmpdir(), `revisit-kill-${seed}-out-`));
    const dataDir = dataDirFor(`revisit-kill-${seed}-data-`);

    // Act: run, kill, resume (and kill again), then resume to the end
    const killed: boolean[] = [];
    for (const [i, at] of killPoints.entries())
      killed.push((await runUntil(outDir, at, (env) => revisitRun(outDir, dataDir, seed, i > 0, env))).killed);
    const last = await runUntil(outDir, null, (env) => revisitRun(outDir, dataDir, seed, true, env));

    // Assess: the first run was killed (20 seeds: at least 20 kills), and nothing was lost or doubled
    expect(killed[0]).toBe(true);
    expect(last.code).toBe(0);
    const violations = violationsOf(await recordsOf(dataDir, outDir, CAMPAIGN_ID), seed, VALID_CUSTOMERS);
    expect(violations).toEqual({
      sentTwice: [],
      unsent: [],
      orphanSends: [],
      replyViolations: [],
      unfinished: [],
      managerTwice: [],
      managerUnsent: [],
    });
  });
});
