import { describe, expect, it } from 'vitest';
import { messagePreviewsOf } from '../../../../functions/core/message-previews.js';
import { campaignOf } from '../../../../functions/core/programs/schema.js';
import { calendarTotals } from '../../../../functions/core/programs/totals.js';
import { calendarCustomer, calendarOf, purchase, testProgram } from '../../../support/programs.js';

describe('the program calendar totals', () => {
  it('counts touches per month (the customer’s own) and tier, and projects each month’s cost', () => {
    // Prepare
    const program = testProgram({
      cadence: { diamond: '2 per month', gold: '1 per month' },
      triggers: [{ on: 'purchase', after: ['3d'] }],
    });
    const customers = [calendarCustomer('D1', 'diamond'), calendarCustomer('G1', 'gold', { phone: null })];
    const calendar = calendarOf(program, customers, { months: 3, events: [purchase('E1', 'G1', '2027-02-10T10:00:00+08:00')] });

    // Act
    const totals = calendarTotals(
      calendar,
      program,
      customers.map((c) => c.customer),
    );

    // Assess
    expect(totals.months.map((m) => [m.month, m.byTier.diamond, m.byTier.gold])).toEqual([
      ['2027-01', 2, 1],
      ['2027-02', 2, 2],
      ['2027-03', 2, 1],
    ]);
    expect(totals.touches).toBe(10);
    expect(totals.byTrigger).toEqual({ cadence: 9, 'purchase+3d': 1 });
    const february = totals.months[1];
    expect(february).toMatchObject({ sms: 2, email: 2 });
    expect(february?.cost.usage.smsParts).toBeGreaterThanOrEqual(2);
    expect(february?.cost.cost.total).toBeGreaterThan(0);
    expect(totals.cost.total).toBeCloseTo(
      totals.months.reduce((s, m) => s + m.cost.cost.total, 0),
      1,
    );
  });

  it('renders one message per template used and locale, zh-CN first, with its SMS parts', () => {
    const sms = {
      'zh-CN': '【{{brand}}】{{name}}您好，感谢购买！回复TD退订',
      'en-US': '{{brand}}: Hi {{name}}, thanks! Reply STOP to opt out',
    };
    const program = testProgram({ brand: 'Shop', messages: { thanks: { sms } } });
    const touch = (message: string) => ({
      channel: 'sms' as const,
      tier: 'gold' as const,
      segment: 'active' as const,
      trigger: 'cadence',
      message,
    });

    const previews = messagePreviewsOf(campaignOf(program, { start: '2027-01-01', end: '2027-01-01' }), [
      touch('thanks'),
      touch('default'),
      touch('thanks'),
    ]);

    expect(previews.map((p) => [p.template, p.locale, p.touches])).toEqual([
      ['default', 'zh-CN', 1],
      ['default', 'en-US', 1],
      ['thanks', 'zh-CN', 2],
      ['thanks', 'en-US', 2],
    ]);
    expect(previews[2]).toMatchObject({
      label: 'thanks:sms/zh-CN',
      text: '【Shop】王女士您好，感谢购买！回复TD退订',
      smsParts: 1,
    });
  });
});
