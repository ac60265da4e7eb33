import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A fresh folder for a run's data (DynamoDB Local's files), in memory-backed /dev/shm where the machine
 * has it, else in the temp folder. DynamoDB Local on disk writes through SQLite, a third slower on a
 * real disk than on tmpfs. The tests that use it kill and restart processes, never the machine: what a
 * killed process wrote is in the kernel's page cache either way, so tmpfs proves the same. The folders
 * are removed after the last test of the file that made them (tmpfs is memory): this module registers that
 * hook on each file that imports it, which is every file that calls it (the projects that do isolate files).
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
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});
