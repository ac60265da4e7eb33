import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';

const reportOptions = z.object({ data: z.string(), campaignId: z.string().optional() });

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write DIR/report.html (self-contained, with charts), report.json and report-*.csv for the campaign run into DIR',
    )
    .argument('<dir>', 'the run folder (its summary.json names the campaign)')
    .option('--data <dir>', 'DynamoDB Local data folder of the run', '.revisit')
    .option('--campaign-id <id>', 'the campaign, when DIR has no summary.json')
    .action(async (dir: string, raw: unknown) => {
      const options = reportOptions.parse(raw);
      const { readFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      let campaignId = options.campaignId;
      if (!campaignId) {
        try {
          campaignId = z
            .object({ campaignId: z.string() })
            .parse(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).campaignId;
        } catch {
          throw new InvalidArgumentError(`${dir}/summary.json names no campaign: pass --campaign-id`);
        }
      }
      const { withDataFolder } = await import('../targets/local.js');
      const { writeReport } = await import('../../files/report-files.js');
      const { files } = await withDataFolder(options.data, (rt) => writeReport(rt.repo, campaignId, dir, new Date()), dir);
      console.log(`report of ${campaignId}: ${files.map((f) => join(dir, f)).join(', ')}`);
    });
}
