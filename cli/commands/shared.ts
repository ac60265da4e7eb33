import { type Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';

/** `max`: time jumps from event to event (no idle time at all); a number: virtual seconds per real second. */
export function timeScale(value: string): number {
  if (value === 'max') return Number.POSITIVE_INFINITY;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new InvalidArgumentError('expected max, or a number of at least 1');
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export const targetSchema = z.enum(['local', 'aws']);

/** `--data`, `--target` and `--stack`: where a campaign runs. */
export const whereSchema = z.object({ data: z.string(), target: targetSchema, stack: z.string() });

export const whereOptions = (command: Command, runs = 'the campaign runs') =>
  command
    .option('--data <dir>', 'DynamoDB Local data folder', '.revisit')
    .addOption(new Option('--target <target>', `where ${runs}`).choices(targetSchema.options).default('local'))
    .option('--stack <name>', 'the deployed stack (--target aws)', 'Revisit');
