import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dataDirFor } from '../support/data-dir.js';

const run = promisify(execFile);
const revisit = (...args: string[]) => run(process.execPath, ['bin/revisit.mjs', ...args], { timeout: 60_000 });

describe('revisit pause, status and resume against a running campaign (another process)', () => {
  it('pauses the run through the data folder, shows it in status, and resumes it to the end', async () => {
    // Prepare: a 20-customer campaign running in its own process, slowly enough to be caught mid-way
    const outDir = mkdtempSync(join(tmpdir(), 'revisit-op-out-'));
    const dataDir = dataDirFor('revisit-op-data-');
    // The example campaign with a 3-day execution window rather than 35 days: at 20,000x the run then
    // takes about half a minute of wall time rather than three.
    const campaignFile = join(outDir, 'campaign.yaml');
    writeFileSync(
      campaignFile,
      readFileSync('examples/spring-festival-2027.yaml', 'utf8').replace(
        'execution: { start: 2026-12-16, end: 2027-01-20 }',
        'execution: { start: 2026-12-16, end: 2026-12-19 }',
      ),
    );
    expect(readFileSync(campaignFile, 'utf8')).toContain('end: 2026-12-19');
    const args = ['bin/revisit.mjs', 'run', '--customers', 'test/fixtures/customers-20.csv'];
    args.push('--campaign', campaignFile, '--out', outDir, '--data', dataDir);
    // 20,000 virtual seconds a real second rather than the default (jump from event to event): slow enough
    args.push('--time-scale', '20000');
    // The same campaign with a new Chinese SMS, for `revisit update` while paused
    const newFile = join(outDir, 'campaign-new.yaml');
    writeFileSync(newFile, readFileSync(campaignFile, 'utf8').replace('感谢一年来的支持！请回复1-5', '新春快乐！请回复1-5'));
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    while (!existsSync(join(dataDir, 'run.lock'))) await sleep(50);

    // Act
    const refused = await revisit('update', 'spring-festival-2027', '--campaign', newFile, '--data', dataDir).catch(
      (error: { stderr: string }) => error,
    );
    const paused = await revisit('pause', 'spring-festival-2027', '--data', dataDir, '--reason', 'check the template');
    await sleep(1500);
    const status = await revisit('status', 'spring-festival-2027', '--data', dataDir);
    const statusJson = JSON.parse((await revisit('status', 'spring-festival-2027', '--data', dataDir, '--json')).stdout);
    const updated = await revisit('update', 'spring-festival-2027', '--campaign', newFile, '--data', dataDir);
    const resumed = await revisit('resume', 'spring-festival-2027', '--data', dataDir);
    const code = await exited;

    // Assess
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain('is running: pause it first');
    expect(paused.stdout).toContain('pause: campaign spring-festival-2027 is paused, by the running campaign');
    expect(status.stdout).toContain('Campaign spring-festival-2027: paused (check the template), running now');
    expect(status.stdout).toMatch(/│ awaiting reply\s+│\s+\d+ │/);
    expect(Object.keys(statusJson.byState)).toContain('awaiting reply');
    expect(updated.stdout).toContain('settings replaced by the running campaign: templates');
    expect(resumed.stdout).toMatch(
      /resume: campaign spring-festival-2027 is running, \d+ lifecycles woken, by the running campaign/,
    );
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
    // The run has ended: status opens the data folder itself and finds the new settings kept.
    const after = JSON.parse((await revisit('status', 'spring-festival-2027', '--data', dataDir, '--json')).stdout);
    expect(after.live).toBeUndefined();
    expect(after.settingsUpdatedAt).toEqual(expect.any(String));
  }, 600_000);
});
