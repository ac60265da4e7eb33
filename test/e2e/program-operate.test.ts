import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalTarget } from '../../cli/targets/local.js';
import { loadProgramFile } from '../../files/program-file.js';
import type { ProgramStatus } from '../../functions/core/use-cases/program-control.js';
import { readJsonLines } from '../../local/harness.js';
import type { OutboxEntry } from '../../local/outbox.js';
import { runProgram } from '../../local/run-program.js';
import { dataDirFor } from '../support/data-dir.js';

// `revisit status|pause|resume|cancel <program>` on the data folder a two-month program run left behind.
const outDir = mkdtempSync(join(tmpdir(), 'revisit-program-operate-'));
const dataDir = dataDirFor('revisit-program-operate-data-');
let outbox: OutboxEntry[];
let programId: string;

beforeAll(async () => {
  const program = await loadProgramFile('test/fixtures/program-e2e.yaml');
  programId = program.id;
  await runProgram({
    customersFile: 'test/fixtures/program-customers.csv',
    program,
    eventsFile: 'test/fixtures/program-events.jsonl',
    from: '2027-01-01',
    months: 2,
    outDir,
    replies: 'simulate',
    seed: 42,
    timeScale: Number.POSITIVE_INFINITY,
    dataDir,
  });
  outbox = await readJsonLines<OutboxEntry>(join(outDir, 'outbox.jsonl'));
}, 120_000);

describe('program operations on the data folder', () => {
  it("status of a program adds its waves' lifecycles up", async () => {
    const status = (await new LocalTarget(dataDir).status(programId)) as ProgramStatus;
    expect(status.status).toBe('finished');
    expect(status.program.waves).toBeGreaterThanOrEqual(5);
    const touchMessages = outbox.filter((e) => e.kind === 'touch');
    expect(status.sentByChannel.sms + status.sentByChannel.email).toBe(touchMessages.length);
    const firstTouches = new Set(touchMessages.map((e) => `${e.campaignId}|${e.customerId}`));
    expect(status.customers).toBeGreaterThanOrEqual(firstTouches.size);
    expect(status.inFlight).toBe(0);
  }, 60_000);

  it('leaves a finished program as it is on pause, and refuses a campaign update of a program', async () => {
    const target = new LocalTarget(dataDir);
    const at = new Date().toISOString();
    const paused = await target.operate(programId, { action: 'pause', reason: null, requestedAt: at });
    expect(paused.result).toMatchObject({ changed: false, status: 'finished' });
    const update = target.operate(programId, { action: 'update', reason: null, requestedAt: at });
    await expect(update).rejects.toThrow(/is a program/);
  }, 60_000);
});
