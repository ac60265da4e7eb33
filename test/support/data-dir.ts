import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh folder for a run's data (DynamoDB Local's files), in memory-backed /dev/shm where the machine
 * has it, else in the temp folder. DynamoDB Local on disk writes through SQLite, a third slower on a
 * real disk than on tmpfs. The tests that use it kill and restart processes, never the machine: what a
 * killed process wrote is in the kernel's page cache either way, so tmpfs proves the same. The folders
 * are removed when the test process exits (tmpfs is memory).
 */
export function dataDirFor(prefix: string): string {
  let base = tmpdir();
  try {
    accessSync('/dev/shm', constants.W_OK);
    base = '/dev/shm';
  } catch {} // no tmpfs here: the temp folder
  const dir = mkdtempSync(join(base, prefix));
  created.push(dir);
  return dir;
}

const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});
