import { type Command, Option } from 'commander';
import { z } from 'zod';
import { targetSchema } from './shared.js';

const launchOptions = z.object({
  customers: z.string(),
  campaign: z.string().optional(),
  target: targetSchema,
  stack: z.string(),
  out: z.string(),
  data: z.string(),
  resume: z.boolean(),
});

export function registerLaunch(program: Command): void {
  program
    .command('launch')
    .description(
      'validate the campaign and its customers, import them and start the campaign: on AWS with --target aws (the stack deployed by cdk deploy), else as revisit run does locally',
    )
    .requiredOption('--customers <file>', 'customer file (CSV or JSON lines)')
    .option('--campaign <file>', 'campaign file (JSON or YAML); default: the rulebook defaults')
    .addOption(new Option('--target <target>', 'where the campaign runs').choices(targetSchema.options).default('local'))
    .option('--stack <name>', 'the deployed stack (--target aws)', 'Revisit')
    .option('--out <dir>', 'where rejected.csv (and, locally, the run files) go', 'out')
    .option('--data <dir>', 'DynamoDB Local data folder (--target local)', '.revisit')
    .option('--resume', 'go on with a campaign launched before (nothing is sent twice)', false)
    .action(async (raw: unknown) => {
      const options = launchOptions.parse(raw);
      const { loadCampaignFile } = await import('../../files/campaign-file.js');
      const { targetOf } = await import('../targets/select.js');
      const campaign = await loadCampaignFile(options.campaign);
      const target = await targetOf(options);
      console.log(
        await target.launch(campaign, { customersFile: options.customers, outDir: options.out, resume: options.resume }),
      );
    });
}
