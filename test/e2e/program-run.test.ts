import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProgramFile } from '../../files/program-file.js';
import { isInsideWindow, windowRulesOf } from '../../functions/core/contact-window.js';
import type { Program } from '../../functions/core/programs/schema.js';
import { campaignOf } from '../../functions/core/programs/schema.js';
import { readJsonLines } from '../../local/harness.js';
import type { OutboxEntry } from '../../local/outbox.js';
import { type ProgramRunResult, runProgram } from '../../local/run-program.js';
import { personaOf } from '../../local/simulator.js';

// Twelve simulated months of a standing program with the rulebook's defaults, through `revisit program
// run`'s code path: DynamoDB Local, the program, campaign and lifecycle state machines on the local engine,
// the outbox, the seeded reply simulator and an events file fed in at each event's time.
//   P002 diamond, P006 and P014 gold, P009 silver, P012 basic: cadence only, customers who answer;
//   P010 basic, answers, buys on 2027-03-10 (the purchase lifts them to silver);
//   P007 silver who never answers: downgraded by the no-response rule, buys on 2027-08-15 (the event is
//   in the file twice: re-delivered), and a bad line.
const SEED = 42;
const outDir = mkdtempSync(join(tmpdir(), 'revisit-program-'));
let result: ProgramRunResult;
let program: Program;
let outbox: OutboxEntry[];
let profiles: { id: string; tier: string; tierHistory: { from: string | null; to: string; at: string; why: string }[] }[];

const firstTouches = (customerId: string, trigger?: string) =>
  outbox.filter(
    (e) => e.kind === 'touch' && e.touch === 1 && e.customerId === customerId && (trigger === undefined || e.trigger === trigger),
  );

beforeAll(async () => {
  program = await loadProgramFile('test/fixtures/program-e2e.yaml');
  result = await runProgram({
    customersFile: 'test/fixtures/program-customers.csv',
    program,
    eventsFile: 'test/fixtures/program-events.jsonl',
    from: '2027-01-01',
    months: 12,
    outDir,
    replies: 'simulate',
    seed: SEED,
    timeScale: Number.POSITIVE_INFINITY,
    dataDir: null,
  });
  outbox = await readJsonLines<OutboxEntry>(join(outDir, 'outbox.jsonl'));
  profiles = await readJsonLines(join(outDir, 'profiles.jsonl'));
}, 240_000);

describe('revisit program run: 12 months', () => {
  it('uses customers whose simulated answers the assertions count on', () => {
    for (const id of ['P002', 'P006', 'P014', 'P009', 'P012', 'P010']) expect(personaOf(SEED, id)).toBe('satisfied');
    expect(personaOf(SEED, 'P007')).toBe('silent');
    const first = Object.fromEntries(profiles.map((p) => [p.id, p.tierHistory[0]?.to]));
    expect(first).toMatchObject({
      P002: 'diamond',
      P006: 'gold',
      P014: 'gold',
      P009: 'silver',
      P012: 'basic',
      P010: 'basic',
      P007: 'silver',
    });
  });

  it("gives each tier its cadence's count of touches: diamond 24, gold 12, silver 4, basic 2 (no cap deferral skipped any)", () => {
    expect(result.summary.skipped).toEqual([]);
    expect(firstTouches('P002', 'cadence')).toHaveLength(24);
    expect(firstTouches('P006', 'cadence')).toHaveLength(12);
    expect(firstTouches('P014', 'cadence')).toHaveLength(12);
    expect(firstTouches('P009', 'cadence')).toHaveLength(4);
    expect(firstTouches('P012', 'cadence')).toHaveLength(2);
    // Twice a month: one in each half of every month, in the customer's zone.
    const halves = firstTouches('P002', 'cadence').map((e) => {
      const local = DateTime.fromISO(e.sentAt, { zone: 'Asia/Shanghai' });
      return `${local.toFormat('yyyy-MM')}-${local.day <= 15 ? 1 : 2}`;
    });
    expect(new Set(halves).size).toBe(24);
  });

  it("sends every touch inside the customer's contact window, and the outbox line says its program and trigger", () => {
    const rules = windowRulesOf(campaignOf(program, { start: '2026-12-01', end: '2028-02-28' }));
    const zones: Record<string, string> = { P006: 'America/New_York', P012: 'America/Los_Angeles' };
    for (const entry of outbox.filter((e) => e.kind === 'touch')) {
      expect(entry.program).toBe(program.id);
      expect(entry.trigger).toMatch(/^(cadence|purchase\+(3|7|30|90)d)$/);
      expect(isInsideWindow(new Date(entry.sentAt), zones[entry.customerId] ?? 'Asia/Shanghai', rules)).toBe(true);
    }
  });

  it('follows a purchase up 3, 7, 30 and 90 days later, each once, not before its day', () => {
    const purchase = Date.parse('2027-03-10T10:30:00+08:00');
    for (const [step, days] of [
      ['3d', 3],
      ['7d', 7],
      ['30d', 30],
      ['90d', 90],
    ] as const) {
      const touches = firstTouches('P010', `purchase+${step}`);
      expect(touches, step).toHaveLength(1);
      const sent = Date.parse((touches[0] as OutboxEntry).sentAt);
      expect(sent).toBeGreaterThanOrEqual(purchase + days * 86_400_000);
      expect(sent).toBeLessThan(purchase + (days + 3) * 86_400_000);
    }
  });

  it("lifts a basic customer with a purchase, and the new tier's cadence follows", () => {
    const p010 = profiles.find((p) => p.id === 'P010');
    expect(p010?.tierHistory.slice(1)).toEqual([
      { from: 'basic', to: 'silver', at: '2027-03-10T10:30:00+08:00', why: 'purchases' },
    ]);
    expect(result.summary.upgrades).toContainEqual({
      customerId: 'P010',
      from: 'basic',
      to: 'silver',
      at: '2027-03-10T10:30:00+08:00',
    });
    // Basic's first half-year, then silver's quarters from April.
    expect(firstTouches('P010', 'cadence').map((e) => e.sentAt.slice(0, 7))).toEqual([
      expect.stringMatching(/^2027-0[1-3]/),
      expect.stringMatching(/^2027-0[4-6]/),
      expect.stringMatching(/^2027-0[7-9]/),
      expect.stringMatching(/^2027-1[0-2]/),
    ]);
  });

  it('downgrades a silver customer who ignores two touches, and the following cycles are basic ones until a purchase', () => {
    const p007 = profiles.find((p) => p.id === 'P007');
    const moves = p007?.tierHistory.slice(1) ?? [];
    expect(moves[0]).toMatchObject({ from: 'silver', to: 'basic', why: 'no-response' });
    expect(moves[1]).toMatchObject({ from: 'basic', to: 'silver', why: 'purchases', at: '2027-08-15T15:00:00+08:00' });
    const downgradedAt = Date.parse(moves[0]?.at ?? '');
    expect(downgradedAt).toBeLessThan(Date.parse('2027-04-01T00:00:00+08:00'));
    // The silver quarter's touch and its re-contact went unanswered; the next cadence touch is basic's half-year
    // (July-December), not silver's April quarter.
    const cadence = firstTouches('P007', 'cadence').map((e) => e.sentAt);
    expect(cadence).toHaveLength(2);
    expect(Date.parse(cadence[1] ?? '')).toBeGreaterThanOrEqual(Date.parse('2027-07-01T00:00:00+08:00'));
    const p007Touches = outbox.filter((e) => e.kind === 'touch' && e.customerId === 'P007' && e.trigger === 'cadence');
    expect(p007Touches.filter((e) => e.touch === 2).length).toBeGreaterThanOrEqual(1);
    expect(result.summary.downgrades.some((d) => d.customerId === 'P007' && d.to === 'basic')).toBe(true);
  });

  it('takes a re-delivered event once (its follow-ups go out once) and reports the bad line', () => {
    expect(result.summary.events).toEqual({ taken: 2, duplicate: 1, rejected: 1, afterTheEnd: 0 });
    for (const step of ['3d', '7d', '30d', '90d']) expect(firstTouches('P007', `purchase+${step}`)).toHaveLength(1);
    const rejected = readFileSync(join(outDir, 'rejected-events.csv'), 'utf8');
    expect(rejected).toMatch(/^4,bad-1,"at: /m);
  });

  it('never sends one touch twice', () => {
    const keys = outbox.filter((e) => e.kind === 'touch').map((e) => `${e.campaignId}|${e.customerId}|${e.touch}|${e.channel}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('writes summary.json, profiles.jsonl and report.md with the touches per month and tier', () => {
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    expect(summary.touches.byTier.diamond).toBe(24);
    expect(Object.keys(summary.touches.byMonth)).toHaveLength(12);
    expect(profiles).toHaveLength(7);
    const report = readFileSync(join(outDir, 'report.md'), 'utf8');
    expect(report).toContain('## Touches per month and tier');
    expect(report).toContain('2027-12');
  });
});
