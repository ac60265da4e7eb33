import type { Command } from 'commander';
import { z } from 'zod';

const planOptions = z.object({ customers: z.string(), campaign: z.string().optional(), out: z.string() });

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('dry run: who will be contacted, how, when and at what cost; sends nothing, stores nothing')
    .requiredOption('--customers <file>', 'customer file (CSV with a header row, or JSON lines)')
    .option('--campaign <file>', 'campaign file (JSON or YAML); default: the rulebook defaults')
    .option('--out <dir>', 'output folder for plan.json, plan.csv, previews.md, previews.json, rejected.csv', 'out')
    .action(async (raw: unknown) => {
      const options = planOptions.parse(raw);
      const { loadCampaignFile } = await import('../../files/campaign-file.js');
      const { planFromFile } = await import('../../files/plan-files.js');
      const { formatPlan } = await import('../plan-report.js');
      const campaign = await loadCampaignFile(options.campaign);
      const { plan, rejected, previews } = await planFromFile(options.customers, campaign, options.out);
      console.log(formatPlan(plan, rejected.filter((r) => r.action === 'rejected').length, options.out, previews));
    });
}
