import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbProfileStores } from '../../functions/adapters/dynamodb/repository.js';
import type { Profile, StoredEvent } from '../../functions/core/profiles.js';
import { LOCAL_TABLE, startLocalRuntime } from '../../local/runtime.js';
import { VirtualClock } from '../../local/virtual-clock.js';
import { dataDirFor } from '../support/data-dir.js';

// `revisit customers import` and `revisit events ingest` through the built CLI, on a data folder: the
// example customers become profiles, a purchase lifts a basic customer, a re-delivered event and a second
// ingest of the whole file change nothing, bad lines are reported with their line numbers.
const run = promisify(execFile);
const revisit = (...args: string[]) => run(process.execPath, ['bin/revisit.mjs', ...args], { timeout: 120_000 });

/** C0016 is basic in the example file: no order in 12 months. */
const LIFTED = 'C0016';
const EVENTS = [
  { id: 'E-1', customerId: LIFTED, type: 'purchase', orderId: 'O-1', amount: 60000, at: '2026-11-30T10:00:00+08:00' },
  { id: 'E-2', customerId: 'C0001', type: 'delivery', orderId: 'O-9', at: '2026-11-30T12:00:00+08:00' },
  { id: 'E-1', customerId: LIFTED, type: 'purchase', orderId: 'O-1', amount: 60000, at: '2026-11-30T10:00:00+08:00' },
  { id: 'E-3', customerId: 'C0002', type: 'complaint', text: '快递太慢了', at: '2026-12-01T09:00:00+08:00' },
]
  .map((event) => JSON.stringify(event))
  .concat([
    'not json at all',
    JSON.stringify({
      id: 'E-4',
      customerId: 'C0002',
      type: 'purchase',
      orderId: 'O-2',
      amonut: 5,
      at: '2026-12-01T09:00:00+08:00',
    }),
    JSON.stringify({ id: 'E-5', customerId: 'NOBODY', type: 'contract-end', at: '2026-12-01T09:00:00+08:00' }),
  ])
  .join('\n');

/** Every profile in the data folder and the events of the customers named, read with DynamoDB Local on its files. */
async function profilesIn(dataDir: string, eventsOf: readonly string[]) {
  const runtime = await startLocalRuntime({
    outDir: mkdtempSync(join(tmpdir(), 'revisit-verify-')),
    dataDir,
    clock: new VirtualClock(new Date(), 1),
  });
  try {
    const { profiles, events } = dynamoDbProfileStores(runtime.ddb.client, LOCAL_TABLE);
    const all: Profile[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof profiles.listProfiles>> = await profiles.listProfiles(cursor, 100);
      all.push(...page.profiles);
      cursor = page.nextCursor;
    } while (cursor !== null);
    const stored: Record<string, StoredEvent[]> = {};
    for (const id of eventsOf) stored[id] = await events.listEvents(id);
    return { profiles: new Map(all.map((p) => [p.customerId, p])), events: stored };
  } finally {
    await runtime.stop();
  }
}

describe('customer profiles through the revisit command', () => {
  const dataDir = dataDirFor('revisit-profiles-');
  const out = join(dataDir, 'out');
  const eventsFile = join(dataDir, 'events.jsonl');
  let imported: Awaited<ReturnType<typeof profilesIn>>;
  let ingested: Awaited<ReturnType<typeof profilesIn>>;
  let importOutput: string;
  let ingestOutput: string;
  let allOutput = '';

  beforeAll(async () => {
    // Prepare and act: import, ingest
    const importRun = await revisit('customers', 'import', 'examples/customers.csv', '--data', dataDir, '--out', out);
    importOutput = importRun.stdout;
    imported = await profilesIn(dataDir, []);
    writeFileSync(eventsFile, `${EVENTS}\n`);
    const ingestRun = await revisit('events', 'ingest', eventsFile, '--data', dataDir, '--out', out);
    ingestOutput = ingestRun.stdout;
    allOutput = [importRun, ingestRun].map((r) => r.stdout + r.stderr).join('');
    ingested = await profilesIn(dataDir, [LIFTED, 'C0001', 'C0002', 'NOBODY']);
  }, 240_000);

  it('creates a profile per valid customer row and reports the rejected rows with their lines', () => {
    expect(importOutput).toContain('200 profiles');
    expect(importOutput).toContain('200 created');
    expect(imported.profiles.size).toBe(200);
    expect(imported.profiles.get(LIFTED)).toMatchObject({ tier: 'basic', version: 1 });
    expect(imported.profiles.get(LIFTED)?.tierHistory).toEqual([
      expect.objectContaining({ from: null, to: 'basic', why: 'import' }),
    ]);
    const rejected = readFileSync(join(out, 'rejected.csv'), 'utf8');
    expect(rejected).toContain('202,C0901,phone,not a valid phone number,rejected');
  });

  it('takes each event once: the purchase lifts the basic customer, the complaint makes a churn warning', () => {
    // Assess
    expect(ingestOutput).toContain('events ingest: 3 taken, 1 duplicate, 3 rejected');
    expect(ingestOutput).toContain('tiers changed: 1');
    const lifted = ingested.profiles.get(LIFTED);
    expect(lifted?.tier).not.toBe('basic');
    expect(lifted?.tierHistory.at(-1)).toEqual({
      from: 'basic',
      to: lifted?.tier,
      // imported today, after the purchase: the tier changes as of the import's time, the history never goes back
      at: imported.profiles.get(LIFTED)?.asOf,
      why: 'purchases',
    });
    expect(lifted?.purchases.orders).toEqual([expect.objectContaining({ eventId: 'E-1', orderId: 'O-1', amount: 60000 })]);
    expect(lifted?.version).toBe(2);
    expect(ingested.profiles.get('C0001')?.lastDeliveryAt).toBe('2026-11-30T12:00:00+08:00');
    expect(ingested.profiles.get('C0002')?.segment).toBe('churn-warning');
    expect(ingested.events[LIFTED]?.map((s) => s.event.id)).toEqual(['E-1']);
    expect(ingested.events.NOBODY).toEqual([]);
  });

  it('writes every line refused to rejected-events.csv with its line number and reason, no values', () => {
    const rejected = readFileSync(join(out, 'rejected-events.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(rejected).toEqual([
      'line,id,reason',
      '5,,"the line is not valid JSON: check for a missing quote, comma or brace"',
      '6,E-4,amount: required; unknown field amonut',
      '7,E-5,"no profile for this customer: import the customer first (revisit customers import), then send the event again"',
    ]);
  });

  it('prints no personal data: no name, phone, e-mail or complaint text', () => {
    const lifted = imported.profiles.get(LIFTED);
    for (const value of [lifted?.contact.name, lifted?.contact.phone, lifted?.contact.email, '快递太慢了'])
      if (value) expect(allOutput).not.toContain(value);
    expect(allOutput).not.toMatch(/@example\.c/);
  });

  it("shows a customer's profile and events as JSON", async () => {
    const shown = JSON.parse((await revisit('customers', 'show', LIFTED, '--data', dataDir)).stdout) as {
      profile: Profile;
      events: StoredEvent[];
    };
    expect(shown.profile).toEqual(ingested.profiles.get(LIFTED));
    expect(shown.events.map((s) => s.event.id)).toEqual(['E-1']);
  });

  it('changes nothing when the same file is imported and ingested again', async () => {
    // Act
    const reimport = (await revisit('customers', 'import', 'examples/customers.csv', '--data', dataDir, '--out', out)).stdout;
    const again = (await revisit('events', 'ingest', eventsFile, '--data', dataDir, '--out', out)).stdout;
    const after = await profilesIn(dataDir, [LIFTED, 'C0001', 'C0002', 'NOBODY']);

    // Assess
    expect(reimport).toContain('0 created, 0 updated, 200 unchanged');
    expect(again).toContain('events ingest: 0 taken, 4 duplicate, 3 rejected');
    expect(after.profiles).toEqual(ingested.profiles);
    expect(after.events).toEqual(ingested.events);
  }, 240_000);
});

describe('customers import and events ingest of a file that is not there', () => {
  it.each([
    ['customers', 'import'],
    ['events', 'ingest'],
  ])('%s %s says so in one line, before any database starts', async (...command) => {
    // Prepare
    const dataDir = join(dataDirFor('revisit-missing-'), 'data');

    // Act
    const failed = await revisit(...command, join(dataDir, 'missing.file'), '--data', dataDir).catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(failed).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^revisit: cannot read .*missing\.file: no such file/),
    });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('customers show on a folder without a database says there is no profile, and starts none', async () => {
    const dataDir = dataDirFor('revisit-show-');
    const failed = await revisit('customers', 'show', 'C0001', '--data', dataDir).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1, stderr: `revisit: customer C0001 has no profile in ${dataDir}\n` });
    expect(existsSync(join(dataDir, 'dynamodb'))).toBe(false);
  });
});
