import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlannedCustomer } from '../../../functions/core/campaign-plan.js';
import {
  AFTER_DST_CHANGES,
  customerById,
  everyDay,
  expectedChannels,
  HOUR_MS,
  planOf,
  RUNS,
  scenarioArbitrary,
  touched,
} from '../../support/plan-scenarios.js';

/**
 * Invariants of the dry-run plan (rulebook sections 1-2) over generated campaigns and customers. Every
 * expectation is recomputed here from the campaign's rules with luxon and brute force, never by calling
 * the scheduling helpers the plan itself uses.
 */

describe('planCampaign, for any campaign and customers', () => {
  it('touches no customer without a reachable channel, and gives every skipped customer a reason', () => {
    fc.assert(
      fc.property(everyDay, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        expect(plan.customers.map((entry) => entry.id).sort()).toEqual(scenario.customers.map((c) => c.id).sort());
        for (const entry of plan.customers) {
          const reachable = expectedChannels(scenario, customerById(scenario, entry.id), entry.segment);
          if (reachable.length === 0) {
            expect(entry.touches).toEqual([]);
            expect(entry.skip).toMatch(/^not reachable: .+/);
          }
          if (entry.touches.length === 0) expect(entry.skip, `${entry.id} has no touch`).toMatch(/\S/);
          else expect(entry.skip).toBeNull();
          for (const touch of entry.touches) expect(reachable).toContain(touch.channel);
        }
        expect(plan.totals.skipped).toBe(plan.customers.filter((entry) => entry.skip !== null).length);
        expect(plan.totals.planned + plan.totals.skipped).toBe(plan.totals.customers);
      }),
      { numRuns: RUNS },
    );
  });

  it("re-contacts at least the tier's reply timeout after the previous touch, switching channel when there are two", () => {
    fc.assert(
      fc.property(everyDay, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        for (const entry of touched(plan)) {
          const reachable = expectedChannels(scenario, customerById(scenario, entry.id), entry.segment);
          const timeoutMs = scenario.campaign.tiers[entry.tier].replyTimeoutHours * HOUR_MS;
          expect(entry.touches.length).toBeLessThanOrEqual(scenario.campaign.maxTouches);
          expect(entry.touches[0]?.channel).toBe(reachable[0]);
          entry.touches.forEach((touch, i) => {
            expect(touch.touch).toBe(i + 1);
            expect(touch.conditional).toBe(i > 0);
            const previous = entry.touches[i - 1];
            if (!previous) return;
            // Instants are whole milliseconds: a timeout with a fraction of a millisecond rounds down.
            expect(Date.parse(touch.sendAt) - Date.parse(previous.sendAt)).toBeGreaterThanOrEqual(Math.floor(timeoutMs));
            if (reachable.length === 2) expect(touch.channel).not.toBe(previous.channel);
            else expect(touch.channel).toBe(previous.channel);
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('gives core and churn-warning customers an account-manager task at their first touch, and reports deadline misses', () => {
    fc.assert(
      fc.property(everyDay, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess
        for (const entry of plan.customers) {
          const first = entry.touches[0];
          if (!first) {
            expect(entry.accountManagerTask).toBeNull();
            expect(entry.deadlineMissedByHours).toBeNull();
            continue;
          }
          const customer = customerById(scenario, entry.id);
          const wantsTask = entry.segment === 'core' || entry.segment === 'churn-warning';
          expect(entry.accountManagerTask).toEqual(
            wantsTask ? { to: customer.accountManager ?? scenario.campaign.defaultAccountManager, sendAt: first.sendAt } : null,
          );
          const lateMs = Date.parse(first.sendAt) - Date.parse(entry.deadline);
          expect(entry.deadlineMissedByHours).toBe(lateMs > 0 ? Math.round(lateMs / 360_000) / 10 : null);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('books customers by priority, then by the earliest deadline instant, whatever their time zones', () => {
    const randomDeadlines = scenarioArbitrary({ earliestMinute: AFTER_DST_CHANGES, randomDeadlines: true });
    const rank = { high: 0, medium: 1, low: 2 } as const;
    fc.assert(
      fc.property(randomDeadlines, (scenario) => {
        // Act
        const plan = planOf(scenario);

        // Assess: the plan lists customers in booking order
        for (let i = 1; i < plan.customers.length; i++) {
          const before = plan.customers[i - 1] as PlannedCustomer;
          const after = plan.customers[i] as PlannedCustomer;
          expect(rank[before.priority]).toBeLessThanOrEqual(rank[after.priority]);
          if (before.priority === after.priority) {
            expect(
              Date.parse(before.deadline),
              `${before.id} (deadline ${before.deadline}) is booked before ${after.id} (deadline ${after.deadline})`,
            ).toBeLessThanOrEqual(Date.parse(after.deadline));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
