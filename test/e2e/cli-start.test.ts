import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const revisit = (...args: string[]) => run(process.execPath, ['bin/revisit.mjs', ...args], { timeout: 60_000 });

describe('the revisit command on a data folder without a database', () => {
  it.each(['status', 'pause', 'resume'])(
    '%s says the campaign does not exist, without a stack or a database',
    async (command) => {
      // Prepare
      const dataDir = mkdtempSync(join(tmpdir(), 'revisit-empty-'));

      // Act
      const failed = await revisit(command, 'no-such-campaign', '--data', dataDir).catch(
        (error: { code: number; stderr: string }) => error,
      );

      // Assess
      expect(failed).toMatchObject({ code: 1, stderr: 'revisit: campaign no-such-campaign does not exist\n' });
      expect(existsSync(join(dataDir, 'dynamodb'))).toBe(false);
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );
});
