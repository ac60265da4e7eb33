import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { readOutbox } from '../../local/outbox.js';
import { SIMULATED_TEXTS } from '../../local/simulator.js';
import { dataDirFor } from '../support/data-dir.js';

// A whole campaign through the CLI with the handlers' logs at DEBUG, stdout and stderr captured: no
// phone number, e-mail address, name or reply text of any customer may appear in them.
const CUSTOMERS = 'test/fixtures/customers-20.csv';

/** Every form a customer's personal data could take in a log line. */
function personalDataOf(file: string): string[] {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<
    string,
    string
  >[];
  const values: string[] = [];
  for (const row of rows) {
    for (const field of ['name', 'email', 'accountManager']) if (row[field]) values.push(row[field]);
    const phone = row.phone ? parsePhoneNumberFromString(row.phone, 'CN') : undefined;
    if (row.phone) values.push(row.phone);
    if (phone) values.push(phone.number, phone.nationalNumber, phone.formatNational());
  }
  for (const texts of Object.values(SIMULATED_TEXTS)) for (const list of Object.values(texts)) values.push(...list);
  return [...new Set(values.filter((v) => v.length >= 4))];
}

describe('logs of a whole campaign', () => {
  it('hold ids and counts, and no phone number, e-mail address, name or reply text', async () => {
    // Prepare
    const outDir = mkdtempSync(join(tmpdir(), 'revisit-logs-out-'));
    const dataDir = dataDirFor('revisit-logs-data-');
    const args = ['bin/revisit.mjs', 'run', '--customers', CUSTOMERS, '--campaign', 'examples/spring-festival-2027.yaml'];
    args.push('--out', outDir, '--data', dataDir, '--log-level', 'DEBUG');

    // Act
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    // Assess: the logs are there (the run logged its steps and the replies it took)...
    expect(code).toBe(0);
    const entries = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message: string; level: string });
    expect(entries.filter((e) => e.message === 'step done').length).toBeGreaterThan(50);
    expect(entries.some((e) => e.message === 'inbound sms recorded')).toBe(true);
    // ...the customers got their messages (with their names and numbers in them)...
    const outbox = readOutbox(join(outDir, 'outbox.jsonl'));
    expect(outbox.length).toBeGreaterThan(20);
    // ...and none of it reached the logs.
    const personal = personalDataOf(CUSTOMERS);
    expect(personal.length).toBeGreaterThan(60);
    const logs = entries.map((e) => JSON.stringify(e)).join('\n');
    expect(personal.filter((value) => logs.includes(value))).toEqual([]);
  });
});
