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
      const { startLocalRuntime } = await import('../../local/runtime.js');
      const { VirtualClock } = await import('../../local/virtual-clock.js');
      const { writeReport } = await import('../../files/report-files.js');
      const runtime = await startLocalRuntime({ outDir: dir, dataDir: options.data, clock: new VirtualClock(new Date(), 1) });
      try {
        const { files } = await writeReport(runtime.repo, campaignId, dir, new Date());
        console.log(`report of ${campaignId}: ${files.map((f) => join(dir, f)).join(', ')}`);
      } finally {
        await runtime.stop();
      }
    });
}
