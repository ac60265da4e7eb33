import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../files/campaign-file.js';
import { FaultyProviders } from '../../local/faults.js';
import { readOutbox } from '../../local/outbox.js';
import { type RunResult, runCampaign } from '../../local/run-campaign.js';
import { dataDirFor } from '../support/data-dir.js';
import { recordsOf, violationsOf } from './support.js';

// SNS and SES refusing a quarter of all sends (throttling, 429, 500, 503; nothing goes out): the state
// machines' retries with backoff must send every message once and lose none. The same campaign and
// customers without faults is the yardstick.
const CUSTOMERS = 'test/fixtures/customers-20.csv';
const SEED = 7;

async function run(faultRate: number): Promise<{ result: RunResult; outDir: string; dataDir: string; refused: number }> {
  const outDir = mkdtempSync(join(tmpdir(), 'revisit-faults-out-'));
  const dataDir = dataDirFor('revisit-faults-data-');
  let refused = 0;
  const result = await runCampaign({
    customersFile: CUSTOMERS,
    campaign: await loadCampaignFile('examples/spring-festival-2027.yaml'),
    outDir,
    replies: 'simulate',
    seed: SEED,
    timeScale: Number.POSITIVE_INFINITY,
    dataDir,
    ...(faultRate > 0 ? { providerFaults: { rate: faultRate, seed: 99 } } : {}),
    inspect: async (runtime) => {
      if (runtime.providers instanceof FaultyProviders)
        refused = [...runtime.providers.refused.values()].reduce((a, b) => a + b, 0);
    },
  });
  return { result, outDir, dataDir, refused };
}

const sentKeys = (outDir: string) =>
  readOutbox(join(outDir, 'outbox.jsonl'))
    .map((m) => `${m.kind} ${m.customerId} ${m.touch} ${m.channel}`)
    .sort();

describe('providers refusing a quarter of all sends', () => {
  it('retries with backoff until every message went out once, and loses none', async () => {
    // Prepare: the yardstick, without faults
    const calm = await run(0);

    // Act
    const stormy = await run(0.25);

    // Assess: faults were injected, the campaign came out the same, and the invariants hold
    expect(stormy.refused).toBeGreaterThan(5);
    expect(stormy.result.summary.failed).toBe(0);
    const customerMessages = (keys: string[]) => keys.filter((k) => k.startsWith('touch '));
    expect(customerMessages(sentKeys(stormy.outDir))).toEqual(customerMessages(sentKeys(calm.outDir)));
    const { summary } = stormy.result;
    expect({ replied: summary.replied, optOuts: summary.optOuts, escalations: summary.escalations }).toEqual({
      replied: calm.result.summary.replied,
      optOuts: calm.result.summary.optOuts,
      escalations: calm.result.summary.escalations,
    });
    const records = await recordsOf(stormy.dataDir, stormy.outDir, 'spring-festival-2027');
    expect(violationsOf(records, SEED, 20)).toEqual({
      sentTwice: [],
      unsent: [],
      orphanSends: [],
      replyViolations: [],
      unfinished: [],
      managerTwice: [],
      managerUnsent: [],
    });
    // Each refused send was released and claimed again: the touch records count the attempts.
    expect(records.touches.some((t) => t.lastError !== undefined)).toBe(true);
  });
});
