import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const revisit = (...args: string[]) => run(process.execPath, ['bin/revisit.mjs', ...args], { timeout: 120_000 });

interface Touch {
  sendAt: string;
  channel: string;
  program: string;
  trigger: string;
  template: string;
  tier: string;
}
interface Calendar {
  customers: { id: string; tier: string; tierChanges: { at: string; tier: string }[]; touches: Touch[] }[];
  deferrals: { customerId: string; trigger: string; from: string; to: string; why: string }[];
  skipped: { customerId: string; trigger: string; tier: string; why: string }[];
}

const CADENCE_PER_YEAR: Record<string, number> = { diamond: 24, gold: 12, silver: 4, basic: 2 };
const CADENCE: Record<string, { touches: number; months: number }> = {
  diamond: { touches: 2, months: 1 },
  gold: { touches: 1, months: 1 },
  silver: { touches: 1, months: 3 },
  basic: { touches: 1, months: 6 },
};

/** The cadence touches of 2027 for a customer whose tier changes: each cycle at the tier in force when it starts. */
function cadenceCount(customer: Calendar['customers'][number]): number {
  let count = 0;
  for (const [tier, cadence] of Object.entries(CADENCE)) {
    for (let month = 1; month <= 12; month += cadence.months) {
      // Local wall clocks in the customer's own zone compare as text.
      const start = `2027-${String(month).padStart(2, '0')}-01T00:00:00`;
      const inForce = customer.tierChanges.filter((c) => c.at.slice(0, 19) <= start).at(-1)?.tier ?? customer.tier;
      if (inForce === tier) count += cadence.touches;
    }
  }
  return count;
}

describe('revisit program plan, through the built CLI', () => {
  const out = mkdtempSync(join(tmpdir(), 'revisit-program-plan-'));
  let stdout = '';

  beforeAll(async () => {
    ({ stdout } = await revisit(
      'program',
      'plan',
      '--customers',
      'examples/customers.csv',
      '--program',
      'examples/program.yaml',
      '--events',
      'examples/events.jsonl',
      '--from',
      '2027-01-01',
      '--months',
      '12',
      '--out',
      out,
    ));
  });

  it('writes calendar.json: each customer with id, tier and touches of sendAt (with offset), channel, program, trigger, template', () => {
    // Act
    const calendar = JSON.parse(readFileSync(join(out, 'calendar.json'), 'utf8')) as Calendar;

    // Assess
    expect(calendar.customers.length).toBe(200);
    for (const customer of calendar.customers) {
      expect(customer).toMatchObject({ id: expect.any(String), tier: expect.stringMatching(/^(diamond|gold|silver|basic)$/) });
      for (const touch of customer.touches) {
        expect(touch.sendAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?[+-]\d\d:\d\d$/);
        expect(touch).toMatchObject({
          channel: expect.stringMatching(/^(sms|email)$/),
          program: 'always-on-2027',
          trigger: expect.stringMatching(/^(cadence|purchase\+(3|7|30|90)d)$/),
          template: expect.any(String),
        });
      }
    }
    const templates = new Set(calendar.customers.flatMap((c) => c.touches.map((t) => t.template)));
    expect(templates).toEqual(
      new Set([
        'diamond-exclusive-coupon',
        'gold-member-event',
        'silver-new-product-trial',
        'basic-holiday-greeting',
        'lost-win-back',
        'new-product-guide',
        'purchase-arrived',
        'purchase-first-week',
        'purchase-first-month',
        'purchase-repurchase',
      ]),
    );
  });

  it("gives each tier's customers their cadence's count over 12 months, minus the touches it lists as skipped", () => {
    const calendar = JSON.parse(readFileSync(join(out, 'calendar.json'), 'utf8')) as Calendar;

    for (const customer of calendar.customers) {
      const cadence = customer.touches.filter((t) => t.trigger === 'cadence').length;
      const skipped = calendar.skipped.filter((s) => s.customerId === customer.id && s.trigger === 'cadence').length;
      const expected = customer.tierChanges.length === 0 ? CADENCE_PER_YEAR[customer.tier] : cadenceCount(customer);
      expect(cadence + skipped, `${customer.id} (${customer.tier})`).toBe(expected);
    }
    // Purchases lift customers during the year, and their following cycles take the new tier's cadence.
    const lifted = calendar.customers.filter((c) => c.tierChanges.length > 0);
    expect(lifted.length).toBeGreaterThan(0);
    for (const customer of lifted) {
      const last = customer.tierChanges.at(-1);
      const after = customer.touches.filter((t) => t.trigger === 'cadence' && t.sendAt > (last?.at ?? ''));
      expect(after.every((t) => t.tier === last?.tier || t.sendAt.slice(0, 7) === last?.at.slice(0, 7))).toBe(true);
    }
    // The cap's arbitration is in the output: every deferral moved a touch later, for a reason.
    expect(calendar.deferrals.length).toBeGreaterThan(0);
    for (const d of calendar.deferrals) {
      expect(Date.parse(d.to)).toBeGreaterThan(Date.parse(d.from));
      expect(['cap-48h', 'cap-7d']).toContain(d.why);
    }
  });

  it('writes calendar.csv, one row per touch, and prints touches per month per tier, the deferrals and the cost', () => {
    const calendar = JSON.parse(readFileSync(join(out, 'calendar.json'), 'utf8')) as Calendar;
    const csv = readFileSync(join(out, 'calendar.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');

    expect(csv[0]).toBe('customerId,tier,segment,sendAt,channel,program,trigger,template,wantedAt');
    expect(csv.length - 1).toBe(calendar.customers.reduce((n, c) => n + c.touches.length, 0));
    expect(stdout).toContain('month / 月份');
    expect(stdout).toContain('2027-12');
    expect(stdout).toContain('frequency cap: at most 1 touch(es) in 48 hours');
    expect(stdout).toContain('projected cost per month');
    expect(stdout).toMatch(/USD \d+\.\d\d/);
    expect(stdout).toMatch(/purchase-arrived:sms\/zh-CN \(\d SMS part\(s\) \/ 条, \d+ touches \/ 次\): 【Revisit Shop】/);
    expect(stdout).toMatch(/diamond-exclusive-coupon:sms\/en-US .*SAMPLE-2027-0001, valid until December 31, 2027/);
    const previews = (JSON.parse(readFileSync(join(out, 'calendar.json'), 'utf8')) as { previews: { label: string }[] }).previews;
    // Ten messages (four tiers, two segments, four purchase steps), each by SMS and e-mail in both locales.
    expect(previews).toHaveLength(10 * 2 * 2);
    expect(JSON.parse(readFileSync(join(out, 'previews.json'), 'utf8'))).toEqual(previews);
    expect(readFileSync(join(out, 'previews.md'), 'utf8')).toContain('## lost-win-back:sms/zh-CN');
  });

  it('reports a rejected customer row and a rejected event with their lines, and goes on', async () => {
    // Prepare
    const events = join(out, 'events.jsonl');
    writeFileSync(
      events,
      [
        '{"id":"E1","customerId":"C0002","type":"purchase","at":"2027-03-01T10:00:00+08:00","orderId":"O1","amount":10}',
        '{"id":"E2","customerId":"C0002","type":"purchase","at":"yesterday","orderId":"O2","amount":10}',
        'not json',
      ].join('\n'),
    );
    const second = join(out, 'second');

    // Act
    const { stdout: printed } = await revisit(
      'program',
      'plan',
      '--customers',
      'examples/customers.csv',
      '--program',
      'examples/program.yaml',
      '--events',
      events,
      '--from',
      '2027-01-01',
      '--months',
      '2',
      '--out',
      second,
    );

    // Assess
    expect(printed).toContain('2 events rejected');
    const rejected = readFileSync(join(second, 'rejected-events.csv'), 'utf8');
    expect(rejected).toContain('2,E2,"at: an ISO 8601 time');
    expect(rejected).toContain('3,,"the line is not valid JSON');
    expect(readFileSync(join(second, 'rejected.csv'), 'utf8')).toContain('204,C0903,timeZone');
  });

  it('refuses a bad program file with its line and a bad --months, without a stack', async () => {
    const program = join(out, 'bad.yaml');
    writeFileSync(program, 'id: p\nname: P\ncadence:\n  gold: banana\n');

    const failed = await revisit(
      'program',
      'plan',
      '--customers',
      'examples/customers.csv',
      '--program',
      program,
      '--months',
      '1',
      '--out',
      out,
    ).catch((error: { code: number; stderr: string }) => error);
    const months = await revisit(
      'program',
      'plan',
      '--customers',
      'examples/customers.csv',
      '--program',
      'examples/program.yaml',
      '--months',
      'x',
      '--out',
      out,
    ).catch((error: { code: number; stderr: string }) => error);

    expect(failed).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('line 4 / 第 4 行: cadence.gold: use "N per PERIOD"'),
    });
    expect(months).toMatchObject({ code: 1, stderr: expect.stringContaining('--months: a whole number') });
    expect((failed as { stderr: string }).stderr).not.toContain('    at ');
  });
});
