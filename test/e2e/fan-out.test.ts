import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchDayOf, launchTimeOf } from '../../functions/core/campaign-phases.js';
import { type Customer, campaignSchema } from '../../functions/core/schemas.js';
import type { LocalExecution } from '../../local/engine.js';
import { runCampaign } from '../../local/run-campaign.js';
import { CAMPAIGN_ARN, LIFECYCLE_ARN } from '../../local/runtime.js';

// The campaign fan-out starts each day's lifecycles the hour before that day (UTC), not the whole list at
// launch: on AWS, the open executions stay a day's customers and those awaiting an answer (BENCHMARKS.md,
// "Scale on AWS"). A one-minute contact window at one message a second spreads 200 customers over days.
describe('the campaign fan-out, day by day', () => {
  it('starts no lifecycle before the launch of its first touch’s day, and each day’s after the day before', async () => {
    // Prepare
    const campaign = campaignSchema.parse({
      id: 'fan-out',
      name: 'Fan-out',
      contactWindow: { start: '09:00', end: '09:01' },
      sendRates: { smsPerSecond: 1, emailPerSecond: 1 },
    });
    let executions: LocalExecution[] = [];
    let customers: Customer[] = [];

    // Act
    const result = await runCampaign({
      customersFile: 'examples/customers.csv',
      campaign,
      outDir: mkdtempSync(join(tmpdir(), 'revisit-fan-out-')),
      replies: 'none',
      seed: 1,
      timeScale: Number.POSITIVE_INFINITY,
      dataDir: null,
      inspect: async (runtime) => {
        executions = [...runtime.engine.executions.values()];
        const ids = await runtime.repo.listCustomerIds('fan-out', null, 1000);
        customers = (await Promise.all(ids.ids.map((id) => runtime.repo.getCustomer('fan-out', id)))).filter(
          (c): c is Customer => c !== null,
        );
      },
    });

    // Assess: the fan-out waited for days; each lifecycle started after its day's launch
    expect(result.summary.failed).toBe(0);
    const launch = executions.find((e) => e.stateMachineArn === CAMPAIGN_ARN);
    expect(launch?.visited.filter((s) => s === 'WaitForNextDay').length).toBeGreaterThan(30);
    const lifecycles = executions.filter((e) => e.stateMachineArn === LIFECYCLE_ARN);
    expect(lifecycles).toHaveLength(customers.length);
    const days = new Set<string>();
    for (const customer of customers) {
      const day = launchDayOf(customer.plannedFirstTouch?.sendAt);
      days.add(day);
      const lifecycle = lifecycles.find((e) => e.name === `fan-out-${customer.id}`);
      const launchAt = launchTimeOf(day);
      if (launchAt) expect(lifecycle?.startedAt.getTime()).toBeGreaterThanOrEqual(Date.parse(launchAt));
    }
    expect(days.size).toBeGreaterThan(2);
    // When the first day's lifecycles had started, the later days' had not
    const [, , secondDay] = [...days].sort();
    const secondLaunch = Date.parse(launchTimeOf(secondDay ?? '') ?? '');
    const startedBefore = lifecycles.filter((e) => e.startedAt.getTime() < secondLaunch).length;
    expect(startedBefore).toBeGreaterThan(0);
    expect(startedBefore).toBeLessThan(lifecycles.length);
  });
});
