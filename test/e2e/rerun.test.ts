import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../files/campaign-file.js';
import { CampaignExistsError } from '../../files/import-customers.js';
import { readJsonLines } from '../../local/harness.js';
import { runCampaign } from '../../local/run-campaign.js';
import { dataDirFor } from '../support/data-dir.js';

describe('running a campaign again on the same data folder', () => {
  it('refuses a second run of the same campaign unless told to start it afresh, keeping the opt-outs', async () => {
    const dataDir = dataDirFor('revisit-data-');
    const campaign = await loadCampaignFile('examples/spring-festival-2027.yaml');
    const outDirs: string[] = [];
    const run = (fresh: boolean) => {
      const outDir = mkdtempSync(join(tmpdir(), 'revisit-out-'));
      outDirs.push(outDir);
      return runCampaign({
        customersFile: 'test/fixtures/customers-5.csv',
        campaign,
        outDir,
        replies: 'simulate',
        // With seed 2, customer C0002 opts out of the first touch.
        seed: 2,
        timeScale: Number.POSITIVE_INFINITY,
        dataDir,
        fresh,
      });
    };

    const first = await run(false);
    await expect(run(false)).rejects.toBeInstanceOf(CampaignExistsError);
    const second = await run(true);

    expect(first.summary.customers).toBe(5);
    expect(second.summary.customers).toBe(5);
    // The second run sees the first one's opt-outs: nobody who opted out is contacted on that channel again.
    const optOuts = (
      await readJsonLines<{ customerId: string; channel: string; kind: string }>(join(outDirs[0] as string, 'replies.jsonl'))
    ).filter((r) => r.kind === 'optout');
    expect(optOuts.length).toBeGreaterThan(0);
    const secondOutbox = await readJsonLines<{ customerId: string; channel: string; kind: string }>(
      join(outDirs[2] as string, 'outbox.jsonl'),
    );
    for (const optOut of optOuts) {
      expect(
        secondOutbox.filter((m) => m.kind === 'touch' && m.customerId === optOut.customerId && m.channel === optOut.channel),
      ).toEqual([]);
    }
    expect(secondOutbox.filter((m) => m.kind === 'touch').length).toBeGreaterThan(0);
  });
});
