import { type Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { targetSchema } from './shared.js';

const launchOptions = z.object({
  customers: z.string().optional(),
  program: z.string().optional(),
  events: z.string().optional(),
  from: z.iso.date({ error: '--from: a date like 2027-01-01' }).optional(),
  months: z.coerce.number().int().min(1).max(120).optional(),
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
    .option(
      '--customers <file>',
      'customer file (CSV or JSON lines); a program on AWS may go without (its profiles are in the table)',
    )
    .option('--campaign <file>', 'campaign file (JSON or YAML); default: the rulebook defaults')
    .option('--program <file>', 'launch a standing program (YAML or JSON) instead of a campaign')
    .option('--events <file>', 'a program run locally: customer events, JSON lines, fed in at their time')
    .option('--from <date>', "a program's first day (YYYY-MM-DD); default: today in its default zone")
    .option('--months <n>', 'a program: months to run (locally required; on AWS, left out: until cancelled)')
    .addOption(new Option('--target <target>', 'where the campaign runs').choices(targetSchema.options).default('local'))
    .option('--stack <name>', 'the deployed stack (--target aws)', 'Revisit')
    .option('--out <dir>', 'where rejected.csv (and, locally, the run files) go', 'out')
    .option('--data <dir>', 'DynamoDB Local data folder (--target local)', '.revisit')
    .option('--resume', 'go on with a campaign launched before (nothing is sent twice)', false)
    .action(async (raw: unknown) => {
      const options = launchOptions.parse(raw);
      const { targetOf } = await import('../targets/select.js');
      if (options.program) {
        if (options.campaign) throw new InvalidArgumentError('--program and --campaign: launch one or the other');
        const { loadProgramFile } = await import('../../files/program-file.js');
        const { DateTime } = await import('luxon');
        const program = await loadProgramFile(options.program);
        const target = await targetOf(options);
        const from = options.from ?? DateTime.now().setZone(program.defaultTimeZone).toISODate() ?? '';
        console.log(
          await target.launchProgram(program, {
            customersFile: options.customers ?? null,
            eventsFile: options.events ?? null,
            from,
            months: options.months ?? null,
            outDir: options.out,
            resume: options.resume,
          }),
        );
        return;
      }
      if (!options.customers) throw new InvalidArgumentError('--customers: the customer file of the campaign');
      const { loadCampaignFile } = await import('../../files/campaign-file.js');
      const campaign = await loadCampaignFile(options.campaign);
      const target = await targetOf(options);
      console.log(
        await target.launch(campaign, { customersFile: options.customers, outDir: options.out, resume: options.resume }),
      );
    });
}
