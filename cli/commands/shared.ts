import { type Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import type { LocalRuntime } from '../../local/runtime.js';

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
    .addOption(new Option('--target <target>', `where ${runs}`).choices(['local', 'aws']).default('local'))
    .option('--stack <name>', 'the deployed stack (--target aws)', 'Revisit');

/** Runs `fn` with a runtime on the data folder, when no run holds it. */
export async function withDataFolder<T>(dataDir: string, fn: (runtime: LocalRuntime) => Promise<T>): Promise<T> {
  const { join } = await import('node:path');
  const { startLocalRuntime } = await import('../../local/runtime.js');
  const { VirtualClock } = await import('../../local/virtual-clock.js');
  const runtime = await startLocalRuntime({ outDir: join(dataDir, 'operate'), dataDir, clock: new VirtualClock(new Date(), 1) });
  try {
    return await fn(runtime);
  } finally {
    await runtime.stop();
  }
}
