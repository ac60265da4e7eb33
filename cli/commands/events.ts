import type { Command } from 'commander';
import { z } from 'zod';

const ingestOptions = z.object({ data: z.string(), out: z.string(), campaign: z.string().optional() });

/** `events ingest`: customer events (purchase, delivery, complaint, contract-end) onto their profiles (issue 16). */
export function registerEvents(program: Command): void {
  const events = program.command('events').description('customer events: each stored once, applied to its profile');

  events
    .command('ingest')
    .description(
      'store each event of a JSON lines file once (by its id) and apply it to its profile; bad lines and customers without a profile to rejected-events.csv',
    )
    .argument('<file>', 'events file: one JSON object a line, {"id", "customerId", "type", "at", ...}')
    .option('--data <dir>', 'DynamoDB Local data folder holding the profiles', '.revisit')
    .option('--out <dir>', 'folder for rejected-events.csv', 'out')
    .option('--campaign <file>', 'campaign file whose segmentation rules re-tier the profiles; default: the rulebook')
    .action(async (file: string, raw: unknown) => {
      const options = ingestOptions.parse(raw);
      const { loadCampaignFile } = await import('../../files/campaign-file.js');
      const { ingestEventsFile } = await import('../../files/profile-files.js');
      const { progressBar, readable, withProfileStores } = await import('../profile-stores.js');
      const campaign = await loadCampaignFile(options.campaign);
      await readable(file);
      const bar = await progressBar('lines');
      const result = await withProfileStores(options.data, (stores) =>
        ingestEventsFile(stores, { file, campaign, outDir: options.out, onProgress: bar.update }, new Date()),
      );
      bar.stop();
      console.log(
        [
          `events ingest: ${result.taken} taken, ${result.duplicate} duplicate, ${result.rejected.length} rejected (${options.out}/rejected-events.csv)`,
          `tiers changed: ${result.tiersChanged}`,
        ].join('\n'),
      );
    });
}
