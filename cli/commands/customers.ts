import type { Command } from 'commander';
import { z } from 'zod';

const importOptions = z.object({ data: z.string(), out: z.string(), campaign: z.string().optional() });
const showOptions = z.object({ data: z.string() });

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

  customers
    .command('show')
    .description("a customer's profile as JSON (contact data included: it is printed, never logged) and their events")
    .argument('<id>', 'customer id, as in the customer file')
    .option('--data <dir>', 'DynamoDB Local data folder holding the profiles', '.revisit')
    .action(async (customerId: string, raw: unknown) => {
      const options = showOptions.parse(raw);
      const { withProfileStores } = await import('../profile-stores.js');
      const { InvalidArgumentError } = await import('commander');
      const { existsSync, readdirSync } = await import('node:fs');
      const { join } = await import('node:path');
      // No database yet: say so without starting DynamoDB Local, which would leave one behind.
      const dynamodb = join(options.data, 'dynamodb');
      if (!existsSync(dynamodb) || !readdirSync(dynamodb).some((f) => f.endsWith('.db')))
        throw new InvalidArgumentError(`customer ${customerId} has no profile in ${options.data}`);
      const found = await withProfileStores(options.data, async (stores) => ({
        profile: await stores.profiles.getProfile(customerId),
        events: await stores.events.listEvents(customerId),
      }));
      if (!found.profile) throw new InvalidArgumentError(`customer ${customerId} has no profile in ${options.data}`);
      process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    });
}
