import type { Command } from 'commander';
import { z } from 'zod';

const importOptions = z.object({ data: z.string(), out: z.string(), campaign: z.string().optional() });

/** `customers import`: customer profiles that outlive a campaign (issue 16), on the local data folder. */
export function registerCustomers(program: Command): void {
  const customers = program
    .command('customers')
    .description('customer profiles, across campaigns and programs: tier, segment, tier history, purchase windows');

  customers
    .command('import')
    .description(
      'create or update a profile per customer from a customer file (the campaign importer: bad rows to rejected.csv); the same file again changes nothing',
    )
    .argument('<file>', 'customer file (CSV with a header row, or JSON lines)')
    .option('--data <dir>', 'DynamoDB Local data folder, shared with the campaigns run', '.revisit')
    .option('--out <dir>', 'folder for rejected.csv', 'out')
    .option(
      '--campaign <file>',
      'campaign file whose defaults (region, time zone, locale) and segmentation apply; default: the rulebook',
    )
    .action(async (file: string, raw: unknown) => {
      const options = importOptions.parse(raw);
      const { loadCampaignFile } = await import('../../files/campaign-file.js');
      const { importProfilesFile } = await import('../../files/profile-files.js');
      const { progressBar, readable, withProfileStores } = await import('../profile-stores.js');
      const campaign = await loadCampaignFile(options.campaign);
      await readable(file);
      const bar = await progressBar('profiles');
      const result = await withProfileStores(options.data, (stores) =>
        importProfilesFile(stores, { file, campaign, outDir: options.out, onProgress: bar.update }, new Date()),
      );
      bar.stop();
      const total = result.created + result.updated + result.unchanged;
      const rejectedRows = result.rejected.filter((r) => r.action === 'rejected').length;
      console.log(
        [
          `customers import: ${total} profiles in ${options.data}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`,
          `tiers changed: ${result.tiersChanged}`,
          `rejected rows: ${rejectedRows}, notes: ${result.rejected.length - rejectedRows} (${options.out}/rejected.csv)`,
        ].join('\n'),
      );
    });
}
