import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { whereOptions, whereSchema } from './shared.js';

const exportOptions = whereSchema.extend({ out: z.string().optional() });
const eraseOptions = whereSchema.extend({ yes: z.boolean() });

/** `customer export` and `customer erase`: data subject requests, in every campaign. */
export function registerCustomer(program: Command): void {
  const customer = program
    .command('customer')
    .description('data subject requests: export or erase everything kept about one customer, in every campaign');

  whereOptions(
    customer
      .command('export')
      .description(
        'every record about the customer in every campaign, as JSON: rows, lifecycles, touches, replies, tickets, opt-outs',
      )
      .argument('<id>', 'customer id, as in the customer file'),
    'the campaigns run',
  )
    .option('--out <file>', 'write the JSON to FILE (readable by you only) instead of printing it')
    .action(async (customerId: string, raw: unknown) => {
      const options = exportOptions.parse(raw);
      const { exportCustomer } = await import('../../functions/core/use-cases/customer-data.js');
      const { targetOf } = await import('../targets/select.js');
      const target = await targetOf(options);
      const { result: exported } = await target.withRecords(`export customer ${customerId}`, (deps) =>
        exportCustomer(deps, customerId),
      );
      const json = `${JSON.stringify(exported, null, 2)}\n`;
      if (!options.out) {
        process.stdout.write(json);
        return;
      }
      const { writeFileSync } = await import('node:fs');
      const { recordCount } = await import('../customer-report.js');
      writeFileSync(options.out, json, { mode: 0o600 });
      console.error(
        `customer ${customerId}: ${recordCount(exported)} records from ${exported.campaigns.length} campaigns written to ${options.out}`,
      );
    });

  whereOptions(
    customer
      .command('erase')
      .description(
        'delete every record about the customer in every campaign, stopping their lifecycles first; an opt-out stays on the suppression list (a hash of the address)',
      )
      .argument('<id>', 'customer id, as in the customer file'),
    'the campaigns run',
  )
    .option('--yes', 'erase without asking (required where there is no terminal to ask in)', false)
    .action(async (customerId: string, raw: unknown) => {
      const options = eraseOptions.parse(raw);
      if (!options.yes && !process.stdin.isTTY)
        throw new InvalidArgumentError(
          `erase deletes every record about customer ${customerId} in every campaign and cannot be undone: pass --yes to go ahead`,
        );
      const { eraseCustomer, exportCustomer } = await import('../../functions/core/use-cases/customer-data.js');
      const { formatErased, formatFound } = await import('../customer-report.js');
      const { targetOf } = await import('../targets/select.js');
      const target = await targetOf(options);
      const { where, result } = await target.withRecords(`erase customer ${customerId}`, async (deps) => {
        if (!options.yes) {
          const found = await exportCustomer(deps, customerId);
          if (found.campaigns.length === 0) return eraseCustomer(deps, customerId);
          console.log(formatFound(found));
          const { createInterface } = await import('node:readline/promises');
          const prompt = createInterface({ input: process.stdin, output: process.stdout });
          const answer = await prompt.question(`Erase them for good? Type the customer id (${customerId}) to confirm: `);
          prompt.close();
          if (answer.trim() !== customerId) throw new InvalidArgumentError('not confirmed: nothing erased');
        }
        return eraseCustomer(deps, customerId);
      });
      console.log(formatErased(result, where, target.kind));
    });
}
