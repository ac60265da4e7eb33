import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const revisit = (...args: string[]) => run(process.execPath, ['bin/revisit.mjs', ...args], { timeout: 60_000 });

describe('revisit pause, status and resume against a running campaign (another process)', () => {
  it('pauses the run through the data folder, shows it in status, and resumes it to the end', async () => {
    // Prepare: a 20-customer campaign running in its own process, slowly enough to be caught mid-way
    const outDir = mkdtempSync(join(tmpdir(), 'revisit-op-out-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'revisit-op-data-'));
    const args = ['bin/revisit.mjs', 'run', '--customers', 'test/fixtures/customers-20.csv'];
    args.push('--campaign', 'examples/spring-festival-2027.yaml', '--out', outDir, '--data', dataDir);
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    while (!existsSync(join(dataDir, 'run.lock'))) await sleep(50);

    // Act
    const paused = await revisit('pause', 'spring-festival-2027', '--data', dataDir, '--reason', 'check the template');
    await sleep(1500);
    const status = await revisit('status', 'spring-festival-2027', '--data', dataDir);
    const resumed = await revisit('resume', 'spring-festival-2027', '--data', dataDir);
    const code = await exited;

    // Assess
    expect(paused.stdout).toContain('pause: done by the running campaign');
    expect(status.stdout).toContain('Campaign spring-festival-2027: paused (check the template), running now');
    expect(resumed.stdout).toContain('resume: done by the running campaign');
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ customers: 20, failed: 0 });
    const touches = readFileSync(join(outDir, 'outbox.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; customerId: string; touch: number })
      .filter((m) => m.kind === 'touch')
      .map((m) => `${m.customerId}#${m.touch}`);
    expect(new Set(touches).size).toBe(touches.length);
  }, 300_000);
});
