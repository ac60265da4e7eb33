import { describe, expect, it } from 'vitest';
import { tierChangesOf } from '../../../../functions/core/programs/retier.js';
import { customerSchema, segmentationSchema } from '../../../../functions/core/schemas.js';
import { purchase } from '../../../support/programs.js';

const rules = segmentationSchema.parse({});
const cutoffs = { diamondMinSpend: 10_000, goldMinSpend: 2_000 };
const basic = customerSchema.parse({
  id: 'B1',
  name: 'B',
  orders12m: 1,
  spend12m: 100,
  lastPurchaseAt: '2026-11-01T10:00:00+08:00',
});

describe('tier changes from events', () => {
  it('lifts a basic customer whose purchases in the period reach gold, at the purchase that does it', () => {
    // Prepare
    const events = [
      { ...purchase('E1', 'B1', '2027-02-01T10:00:00+08:00'), amount: 500 },
      { ...purchase('E2', 'B1', '2027-03-01T10:00:00+08:00'), amount: 2_000 },
    ];

    // Act
    const changes = tierChangesOf(basic, events, cutoffs, rules, '2027-01-01T00:00:00+08:00');

    // Assess: two orders make silver, the spend then makes gold.
    expect(changes.map((c) => c.tier)).toEqual(['silver', 'gold']);
    expect(Date.parse(changes[1]?.at ?? '')).toBe(Date.parse('2027-03-01T10:00:00+08:00'));
  });

  it('changes nothing without events in the period (earlier ones are in the imported figures)', () => {
    const events = [{ ...purchase('E1', 'B1', '2026-12-01T10:00:00+08:00'), amount: 50_000 }];

    expect(tierChangesOf(basic, events, cutoffs, rules, '2027-01-01T00:00:00+08:00')).toEqual([]);
  });
});
