import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventsFile, rejectedEventsCsv } from '../../../files/events-file.js';

function fileOf(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'revisit-events-')), 'events.jsonl');
  writeFileSync(file, lines.join('\n'));
  return file;
}

const purchase = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    customerId: 'C0001',
    type: 'purchase',
    at: '2027-01-05T10:00:00+08:00',
    orderId: `O-${id}`,
    amount: 99,
    ...extra,
  });

describe('readEventsFile', () => {
  it('takes every valid line and refuses each bad one with its line number and reason, never its values', async () => {
    // Prepare: a BOM, a blank line, broken JSON holding a phone number, a list, a misspelt field, a formula id
    const file = fileOf([
      `\uFEFF${purchase('E1')}`,
      '',
      '{"id": "E2", "phone": "+8613800138000"',
      '[1, 2]',
      purchase('E3', { amonut: 5 }),
      purchase('=HYPERLINK("x")', { type: 'refund' }),
      JSON.stringify({ id: 'E4', customerId: 'C0002', type: 'complaint', at: '2027-01-06T09:00:00Z', text: '太慢了' }),
    ]);

    // Act
    const { events, rejected } = await readEventsFile(file);

    // Assess
    expect(events.map((e) => e.id)).toEqual(['E1', 'E4']);
    expect(rejected).toEqual([
      { line: 3, id: '', reason: 'the line is not valid JSON: check for a missing quote, comma or brace' },
      { line: 4, id: '', reason: expect.stringMatching(/^the line is a list, not an object like/) },
      { line: 5, id: 'E3', reason: 'unknown field amonut' },
      { line: 6, id: '=HYPERLINK("x")', reason: 'type: one of purchase, delivery, complaint, contract-end' },
    ]);
    expect(JSON.stringify(rejected)).not.toContain('8613800138000');
    const csv = rejectedEventsCsv(rejected);
    expect(csv).toContain(`6,"'=HYPERLINK(""x"")","type: one of purchase, delivery, complaint, contract-end"`);
    expect(csv.startsWith('\uFEFFline,id,reason')).toBe(true);
  });
});
