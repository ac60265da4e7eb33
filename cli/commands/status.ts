import type { Command } from 'commander';
import { z } from 'zod';
import { whereOptions, whereSchema } from './shared.js';

const statusOptions = whereSchema.extend({ watch: z.boolean(), json: z.boolean() });

export function registerStatus(program: Command): void {
  whereOptions(
    program
      .command('status')
      .description("where a campaign's lifecycles are: by state, channel and tier, the send rate, SLA breaches, failures")
      .argument('<campaign>', 'campaign id'),
  )
    .option('--watch', 'refresh every 2 seconds (Ctrl-C to stop)', false)
    .option('--json', 'print the status as JSON', false)
    .action(async (campaignId: string, raw: unknown) => {
      const options = statusOptions.parse(raw);
      const { targetOf } = await import('../targets/select.js');
      const { formatStatus } = await import('../status-report.js');
      const target = await targetOf(options);
      const once = async () => {
        const status = await target.status(campaignId);
        if (options.json) console.log(JSON.stringify(status, null, 2));
        else {
          if (options.watch) process.stdout.write('\x1b[2J\x1b[H');
          console.log(formatStatus(status, new Date()));
        }
      };
      await once();
      while (options.watch) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        await once();
      }
    });
}
