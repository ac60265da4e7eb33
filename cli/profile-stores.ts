import { access, constants } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import type { ProfileDeps } from '../functions/core/use-cases/profiles.js';
import { withIdleDataFolder } from './targets/local.js';

/** Runs `fn` with the profile and event stores of the data folder, once no run holds the folder. */
export function withProfileStores<T>(
  dataDir: string,
  fn: (stores: ProfileDeps & { onProfileChanged: (customerId: string) => Promise<void> }) => Promise<T>,
): Promise<T> {
  return withIdleDataFolder(dataDir, 'import customers or ingest events', async ({ operate, repo }) => {
    const { noteProfileChanged } = await import('../functions/core/use-cases/programs.js');
    const deps = { repo, programs: operate.programs, profiles: operate.profiles, events: operate.events, clock: operate.clock };
    // A changed profile goes on the due list of its next touch in every running program (issue 16).
    return fn({ profiles: operate.profiles, events: operate.events, onProfileChanged: (id) => noteProfileChanged(deps, id) });
  });
}

/** A progress bar on stderr (a line every 2 s where there is no terminal), started at the first update. */
export async function progressBar(unit: string) {
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    format: ` {bar} | {value}/{total} ${unit} | ETA {eta_formatted}`,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
    etaBuffer: 50,
  });
  let started = false;
  return {
    update: (progress: { done: number; total: number }) => {
      if (!started) {
        bar.start(progress.total, 0);
        started = true;
      }
      bar.setTotal(progress.total);
      bar.update(progress.done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Refuses a file that cannot be read before DynamoDB Local starts on the data folder (seconds, and a database left behind). */
export async function readable(file: string): Promise<void> {
  try {
    await access(file, constants.R_OK);
  } catch {
    throw new InvalidArgumentError(`cannot read ${file}: no such file, or no permission to read it`);
  }
}
