import type { Command } from 'commander';
import { z } from 'zod';

const deployOptions = z.object({
  campaign: z.string().optional(),
  stage: z.string(),
  sesFrom: z.string().optional(),
  escalationFrom: z.string().optional(),
  replyTo: z.string().optional(),
  smsOriginationNumber: z.string().optional(),
  smsSenderId: z.string().optional(),
  profile: z.string().optional(),
  yes: z.boolean(),
});

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description('print (or run, with --yes) the cdk deploy of both stacks, and what the account needs first for the campaign')
    .option('--campaign <file>', 'the campaign to deploy for: its channels and rates decide the checklist')
    .option('--stage <name>', 'stage tag; termination protection when not dev', 'dev')
    .option('--ses-from <address>', 'sender of customer e-mails, a verified SES identity ("Name <address>" accepted)')
    .option('--escalation-from <address>', 'sender of escalation e-mails to managers (default: --ses-from)')
    .option('--reply-to <address>', 'Reply-To of customer e-mails, received by SES (e-mail replies)')
    .option('--sms-origination-number <e164>', 'two-way enabled origination number that sends the SMS')
    .option('--sms-sender-id <id>', 'alphanumeric sender id, where the country supports one')
    .option('--profile <name>', 'AWS profile for cdk')
    .option('--yes', 'run the deployment now (cdk still asks before widening IAM permissions)', false)
    .action(async (raw: unknown) => {
      const options = deployOptions.parse(raw);
      const { loadCampaignFile } = await import('../../files/campaign-file.js');
      const { commandLine, planDeploy } = await import('../deploy.js');
      const campaign = options.campaign ? await loadCampaignFile(options.campaign) : undefined;
      const plan = planDeploy({ ...options, campaign });
      console.log(`Deploy revisit (stacks RevisitData and Revisit${campaign ? `, for campaign ${campaign.id}` : ''}):`);
      console.log(`  ${commandLine(plan.argv)}`);
      for (const warning of plan.warnings) console.log(`warning: ${warning}`);
      console.log('Before the first launch:');
      for (const [i, step] of plan.checklist.entries()) console.log(`  ${i + 1}. ${step}`);
      if (!options.yes) {
        console.log('Run it with --yes, or paste the command. docs/deploying.md, "First deployment", walks through each step.');
        return;
      }
      const { spawn } = await import('node:child_process');
      const [program_, ...args] = plan.argv;
      const child = spawn(program_ ?? 'npx', args, { stdio: 'inherit' });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      process.exitCode = code ?? 1;
    });
}
