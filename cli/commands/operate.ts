import type { Command } from 'commander';
import { z } from 'zod';
import type { OperateResult, UpdateResult } from '../../functions/core/use-cases/operate.js';
import { whereOptions, whereSchema } from './shared.js';

const operateOptions = whereSchema.extend({ reason: z.string().optional() });
const updateOptions = whereSchema.extend({ campaign: z.string() });

const operations = [
  ['pause', 'stop new sends at once (lifecycles hold before their next send; replies and escalations go on)'],
  ['resume', 'send again: held lifecycles go on, every touch once, with the templates and settings as they are now'],
  ['cancel', "end the campaign's lifecycles and record why"],
] as const;

/** `pause`, `resume` and `cancel`: one command each, carried out wherever the campaign runs. */
export function registerOperations(program: Command): void {
  for (const [action, description] of operations) {
    whereOptions(program.command(action).description(description).argument('<campaign>', 'campaign id'))
      .option('--reason <text>', 'why (kept on the campaign and, for cancel, on every lifecycle)')
      .action(async (campaignId: string, raw: unknown) => {
        const options = operateOptions.parse(raw);
        const { targetOf } = await import('../targets/select.js');
        const request = { action, reason: options.reason ?? null, requestedAt: new Date().toISOString() };
        const { where, result } = await (await targetOf(options)).operate(campaignId, request);
        const { status, changed, lifecycles } = result as OperateResult;
        const count = action === 'pause' ? '' : `, ${lifecycles} lifecycles ${action === 'resume' ? 'woken' : 'stopped'}`;
        console.log(`${action}: campaign ${campaignId} is ${status}${changed ? '' : ' (no change)'}${count}, ${where}`);
      });
  }
}

export function registerUpdate(program: Command): void {
  whereOptions(
    program
      .command('update')
      .description(
        "replace a paused campaign's settings (templates, windows, rates, survey...) with a campaign file's, checked like a new one; every touch not sent yet uses them",
      )
      .argument('<campaign>', 'campaign id'),
  )
    .requiredOption('--campaign <file>', 'the campaign file with the new settings (same id)')
    .action(async (campaignId: string, raw: unknown) => {
      const options = updateOptions.parse(raw);
      const { loadCampaignFile } = await import('../../files/campaign-file.js');
      const { targetOf } = await import('../targets/select.js');
      const campaign = await loadCampaignFile(options.campaign);
      const request = { action: 'update' as const, reason: null, requestedAt: new Date().toISOString(), campaign };
      const target = await targetOf(options);
      const { where, result } = await target.operate(campaignId, request);
      const { changed, planTime } = result as UpdateResult;
      if (changed.length === 0) {
        console.log(`update: campaign ${campaignId} already has these settings (no change), ${where}`);
        return;
      }
      console.log(`update: campaign ${campaignId} settings replaced ${where}: ${changed.join(', ')}`);
      const sendTime = changed.filter((key) => !planTime.includes(key));
      if (sendTime.length > 0) console.log(`  every touch not sent yet uses the new ${sendTime.join(', ')}`);
      if (planTime.length > 0)
        console.log(`  ${planTime.join(', ')}: read when a customer is planned, so these reach customers not planned yet`);
      console.log(`  resume to send: revisit resume ${campaignId}${target.flags}`);
    });
}
