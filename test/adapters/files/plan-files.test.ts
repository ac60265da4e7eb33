import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../../files/campaign-file.js';
import { planFromFile } from '../../../files/plan-files.js';

// `revisit plan` on the shipped example: the files a marketer reads before anything is sent.
const outDir = mkdtempSync(join(tmpdir(), 'revisit-plan-'));
let result: Awaited<ReturnType<typeof planFromFile>>;

beforeAll(async () => {
  const campaign = await loadCampaignFile('examples/spring-festival-2027.yaml');
  result = await planFromFile('examples/customers.csv', campaign, outDir, new Date('2026-11-25T00:00:00Z'));
});

describe('revisit plan (dry run)', () => {
  it('writes plan.json with every valid customer and the fields the contract names', () => {
    const plan = JSON.parse(readFileSync(join(outDir, 'plan.json'), 'utf8'));

    expect(plan.customers).toHaveLength(200);
    for (const customer of plan.customers) {
      expect(Object.keys(customer)).toEqual(
        expect.arrayContaining(['id', 'tier', 'segment', 'priority', 'deadline', 'skip', 'touches']),
      );
      for (const touch of customer.touches) {
        expect(touch).toEqual(
          expect.objectContaining({ channel: expect.stringMatching(/^(sms|email)$/), template: expect.any(String) }),
        );
        expect(touch.sendAt).toMatch(/T\d\d:\d\d:\d\d(\.\d{3})?[+-]\d\d:\d\d$/);
      }
      if (customer.skip !== null) expect(customer.touches).toEqual([]);
    }
    expect(plan.totals.customers).toBe(200);
    expect(plan.totals.planned + plan.totals.skipped).toBe(200);
  });

  it('lists high-priority customers first and gives them the earliest slots of their zone', () => {
    const order = result.plan.customers.map((c) => c.priority);
    const rank = { high: 0, medium: 1, low: 2 };
    for (let i = 1; i < order.length; i++) expect(rank[order[i] as 'high']).toBeGreaterThanOrEqual(rank[order[i - 1] as 'high']);
  });

  it('gives core and churn-warning customers an account-manager task', () => {
    for (const customer of result.plan.customers.filter((c) => c.skip === null)) {
      const expected = customer.segment === 'core' || customer.segment === 'churn-warning';
      expect(customer.accountManagerTask !== null).toBe(expected);
    }
  });

  it('keeps the quiet hours of the example campaign (no send between 12:00 and 13:30 local)', () => {
    for (const customer of result.plan.customers) {
      for (const touch of customer.touches) {
        const [hh, mm] = (touch.sendAt.slice(11, 16).split(':') as [string, string]).map(Number) as [number, number];
        const minutes = hh * 60 + mm;
        expect(minutes >= 12 * 60 && minutes < 13 * 60 + 30).toBe(false);
      }
    }
  });

  it('writes plan.csv with one row per customer and rejected.csv with the bad rows', () => {
    const rows = parse(readFileSync(join(outDir, 'plan.csv')), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(200);
    expect(rows[0]).toHaveProperty('touch1SendAt');
    const rejected = parse(readFileSync(join(outDir, 'rejected.csv')), { columns: true, bom: true }) as Record<string, string>[];
    expect(rejected.filter((r) => r.action === 'rejected').map((r) => r.id)).toEqual([
      'C0901',
      'C0902',
      'C0903',
      'C0001',
      'C0904',
    ]);
  });

  it('projects the AWS cost with infrastructure and message fees apart', () => {
    const { cost } = result.plan.totals;
    expect(cost.cost.total).toBeCloseTo(cost.cost.infrastructure + cost.cost.messages, 1);
    expect(cost.usage.transitions).toBeGreaterThan(0);
    expect(cost.cost.sms).toBeGreaterThan(0);
  });
});

describe('SMS length in the plan', () => {
  it('warns about customers whose SMS takes more parts than the campaign allows', async () => {
    const campaign = await loadCampaignFile('examples/spring-festival-2027.yaml');
    const long = '【{{brand}}】{{name}}您好，感谢一年来的支持！这是一条很长的短信，用来检查分段计数是否正确，'
      .repeat(2)
      .concat('回复TD退订');
    const strict = {
      ...campaign,
      maxSmsParts: 1,
      templates: { sms: { 'zh-CN': long, 'en-US': campaign.templates?.sms?.['en-US'] ?? '' } },
    };

    const { plan } = await planFromFile('examples/customers.csv', strict, mkdtempSync(join(tmpdir(), 'revisit-plan-sms-')));

    expect(plan.totals.mostSmsParts).toBeGreaterThan(1);
    expect(plan.totals.smsOverMaxParts).toBe(plan.customers.filter((c) => (c.smsParts ?? 0) > 1).length);
    expect(plan.totals.smsOverMaxParts).toBeGreaterThan(0);
  });
});
