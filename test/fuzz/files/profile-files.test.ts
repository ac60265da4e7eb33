import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../../files/campaign-file.js';
import { ingestEventsFile } from '../../../files/profile-files.js';
import { parseEvent } from '../../../functions/core/events.js';
import { profileSchema } from '../../../functions/core/profiles.js';
import { importProfile } from '../../../functions/core/use-cases/profiles.js';
import { InMemoryProfileStore } from '../../support/fakes/index.js';
import { CUTOFFS, customerOf, NOW } from '../../support/fixtures.js';

/*
 * Events files, generated: valid events of every type for customers with and without a profile, ids drawn
 * from a small pool (so ids repeat, for the same customer and for another), lines of any text and objects
 * of any fields. Whatever the file, the ingest never throws; every line is taken, a duplicate or refused
 * with its line and a reason that quotes no value; an id is stored once; and ingesting the file again
 * changes no profile.
 */

const SEED = 20_261_202;
const SECRET = 'SECRET-TEXT';
const PROFILED = ['C1', 'C2', 'C3'];

const dir = mkdtempSync(join(tmpdir(), 'revisit-events-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const at = fc
  .date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-06-30T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace('Z', '+08:00'));
const common = {
  id: fc.constantFrom('E1', 'E2', 'E3', 'E4', 'E5', 'E6'),
  customerId: fc.constantFrom(...PROFILED, 'C-none'),
  at,
};
const validEvent = fc.oneof(
  fc.record({
    ...common,
    type: fc.constant('purchase'),
    orderId: fc.constantFrom('O1', 'O2', 'O3'),
    amount: fc.double({ min: 0, max: 1e6, noNaN: true }),
  }),
  fc.record({ ...common, type: fc.constant('delivery'), orderId: fc.constantFrom('O1', 'O2') }),
  fc.record({ ...common, type: fc.constant('complaint'), text: fc.string({ minLength: 1 }).map((t) => `${SECRET} ${t}`) }),
  fc.record({ ...common, type: fc.constant('contract-end') }),
);
const line = fc.oneof(
  { weight: 6, arbitrary: validEvent.map((e) => JSON.stringify(e)) },
  { weight: 1, arbitrary: fc.string().map((t) => t.replace(/[\r\n]/g, ' ')) },
  { weight: 1, arbitrary: fc.object().map((o) => JSON.stringify({ ...o, note: SECRET })) },
  { weight: 1, arbitrary: validEvent.map((e) => JSON.stringify({ ...e, amonut: SECRET })) },
);

async function profiledStore() {
  const store = new InMemoryProfileStore();
  const rules = (await loadCampaignFile(undefined)).segmentation;
  for (const id of PROFILED) await importProfile({ profiles: store }, customerOf({ id }), CUTOFFS, rules, NOW);
  return store;
}

describe('events ingest, on generated events files', () => {
  it('accounts for every line, stores each id once, quotes no value, and changes nothing the second time', async () => {
    const campaign = await loadCampaignFile(undefined);
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), async (lines) => {
        // Prepare
        const file = join(dir, `events-${++files}.jsonl`);
        writeFileSync(file, lines.join('\n'));
        const store = await profiledStore();
        const deps = { profiles: store, events: store };
        const options = { file, campaign, outDir: join(dir, `out-${files}`) };

        // Act
        const first = await ingestEventsFile(deps, options, new Date(NOW));
        const after = await Promise.all(PROFILED.map((id) => store.getProfile(id)));
        const second = await ingestEventsFile(deps, options, new Date('2026-12-17T00:00:00Z'));

        // Assess
        const counted = lines.filter((l) => l.trim() !== '').length;
        expect(first.taken + first.duplicate + first.rejected.length).toBe(counted);
        for (const rejected of first.rejected) {
          expect(rejected.line).toBeGreaterThanOrEqual(1);
          expect(rejected.line).toBeLessThanOrEqual(lines.length);
          expect(rejected.reason.length).toBeGreaterThan(0);
          expect(rejected.reason).not.toContain(SECRET);
        }
        const storable = new Set(
          lines.flatMap((l) => {
            const parsed = (() => {
              try {
                return parseEvent(JSON.parse(l));
              } catch {
                return { ok: false } as const;
              }
            })();
            return parsed.ok && PROFILED.includes(parsed.event.customerId) ? [parsed.event.id] : [];
          }),
        );
        expect(new Set(store.events.keys())).toEqual(storable);
        expect(first.taken).toBe(storable.size);
        expect(second.taken).toBe(0);
        expect(await Promise.all(PROFILED.map((id) => store.getProfile(id)))).toEqual(after);
        for (const profile of after) {
          expect(profileSchema.parse(profile)).toEqual(profile);
          expect(profile?.purchases.spend12m).toBeGreaterThanOrEqual(0);
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  }, 120_000);
});
