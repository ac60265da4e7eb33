import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_COLUMNS } from '../../../../functions/core/customer-row.js';
import { customersOf, importFile, importText, outline, reportsOf, tempFile } from '../../../support/customer-files.js';

const fixture = readFileSync(new URL('../../../fixtures/import/bom-crlf.jsonl', import.meta.url));
const jsonLines = (...rows: string[]) => `${rows.join('\n')}\n`;

describe('readCustomerFile on JSON lines', () => {
  it('reads a file with a BOM and CRLF line ends, line by line, good and bad', async () => {
    const items = await importText(fixture, 'jsonl');

    expect(outline(items)).toEqual([
      '1 ok J1',
      '2 rejected smsConsent',
      '2 rejected spend12m',
      '3 rejected ',
      '5 rejected ',
      '6 rejected name',
      '7 ok J6',
    ]);
  });

  it('keeps the exact values of the good lines', async () => {
    const [first, second] = customersOf(await importText(fixture, 'jsonl'));

    expect(first).toMatchObject({ id: 'J1', name: '王芳', phone: '+8613800138000', spend12m: 1200.5, tags: ['vip', 'online'] });
    expect(second).toMatchObject({ id: 'J6', name: '赵敏', phone: '+8613900002222', smsConsent: false, openComplaints: 2 });
  });

  it('says what is wrong with each bad line', async () => {
    const reasons = reportsOf(await importText(fixture, 'jsonl')).map((r) => [r.line, r.column, r.reason]);

    expect(reasons).toEqual([
      [2, 'smsConsent', 'expected yes/no, true/false or 1/0, got "maybe"'],
      [2, 'spend12m', 'expected a number of 0 or more, got "lots"'],
      [3, '', 'the line is not valid JSON: check for a missing quote, comma or brace'],
      [5, '', 'the line is a list, not an object like {"id": "C1", "name": "王芳", "phone": "13800138000"}'],
      [6, 'name', 'expected one value, got an object'],
      [7, 'source', `is not a customer field (${CUSTOMER_COLUMNS.join(', ')}), so it was ignored`],
    ]);
  });

  it.each([
    ['a number', '42'],
    ['a string', '"C1"'],
    ['null', 'null'],
    ['a boolean', 'true'],
  ])('rejects a line that is %s', async (_, line) => {
    const items = await importText(jsonLines(line, '{"id":"C1","name":"王芳","phone":"13800138000"}'), 'jsonl');

    expect(outline(items)).toEqual(['1 rejected ', '2 ok C1']);
  });

  it.each([
    ['a list for one value', { id: ['C1'] }, 'id', 'expected one value, got a list'],
    ['an object for a phone', { phone: { country: 86, number: '13800138000' } }, 'phone', 'expected one value, got an object'],
    ['nested lists in tags', { tags: [['vip']] }, 'tags', 'expected a list of texts, got a list with nested values'],
    ['a boolean amount', { spend12m: true }, 'spend12m', 'expected a number of 0 or more, got true'],
    ['a negative count', { orders12m: -3 }, 'orders12m', 'expected a whole number of 0 or more, got -3'],
    [
      'a text date that is not one',
      { lastPurchaseAt: 'last spring' },
      'lastPurchaseAt',
      'expected a date like 2026-03-31 or 2026-03-31T10:00:00+08:00',
    ],
    [
      'a number for a date',
      { firstPurchaseAt: 1767225600 },
      'firstPurchaseAt',
      'expected a date like 2026-03-31 or 2026-03-31T10:00:00+08:00',
    ],
    [
      'a NUL in a value',
      { name: '王\u0000芳' },
      'name',
      'contains a NUL character: the file looks damaged or is not a text file',
    ],
    [
      'a 10 MB value',
      { name: 'x'.repeat(10 * 1024 * 1024) },
      'name',
      'longer than 10 KB (10240 KB): no customer value is that long',
    ],
  ])('rejects %s, on that column', async (_, junk, column, reason) => {
    const good = { id: 'C1', name: '王芳', phone: '13800138000' };
    const items = await importText(
      jsonLines(JSON.stringify({ ...good, ...junk }), JSON.stringify({ ...good, id: 'C2' })),
      'jsonl',
    );

    expect(items[0]).toMatchObject({ line: 1, rejected: [{ column, reason, action: 'rejected' }] });
    expect(items[0] && 'rejected' in items[0] ? items[0].rejected : []).toHaveLength(1);
    expect(outline(items.slice(1))).toEqual(['2 ok C2']);
  });

  it('rejects a line with bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":"C1","name":"'),
      Buffer.from([0xcd, 0xf5, 0xb7, 0xbc]),
      Buffer.from('","phone":"13800138000"}\n{"id":"C2","name":"李娜","phone":"13800138001"}\n'),
    ]);

    const items = await importText(bytes, 'jsonl');

    expect(outline(items)).toEqual(['1 rejected name', '2 ok C2']);
  });

  it('rejects a value holding half of a UTF-16 surrogate pair, which JSON can write and UTF-8 cannot hold', async () => {
    const items = await importText(jsonLines('{"id":"C1","name":"王\\ud800","phone":"13800138000"}'), 'jsonl');

    expect(outline(items)).toEqual(['1 rejected name']);
    expect(reportsOf(items)[0]?.reason).toMatch(/^contains half of a UTF-16 surrogate pair/);
  });

  it('rejects a last line cut off in the middle of a character instead of dropping the broken bytes', async () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"C1","name":"王芳","phone":"13800138000"}'), Buffer.from([0xe4, 0xb8])]);

    const items = await importText(bytes, 'jsonl');

    expect(outline(items)).toEqual(['1 rejected ']);
  });

  it('rejects a line over 16 MB without parsing it and goes on with the next line', async () => {
    const everyone = `[${'{"id":"C0","name":"王芳","phone":"13800138000"},'.repeat(400_000)}{}]`;

    const items = await importText(jsonLines(everyone, '{"id":"C1","name":"王芳","phone":"13800138000"}'), 'jsonl');

    expect(outline(items)).toEqual(['1 rejected ', '2 ok C1']);
    expect(reportsOf(items)[0]?.reason).toBe('the line is longer than 16 MB: write one customer per line');
  });

  it('reports an unknown key once, on the first line that has it', async () => {
    const items = await importText(
      jsonLines(
        '{"id":"C1","name":"王芳","phone":"13800138000","vip":true}',
        '{"id":"C2","name":"李娜","phone":"13800138001","vip":false,"__proto__":{"polluted":1}}',
      ),
      'jsonl',
    );

    expect(reportsOf(items).map((r) => [r.line, r.column, r.action])).toEqual([
      [1, 'vip', 'kept'],
      [2, '__proto__', 'kept'],
    ]);
    expect(customersOf(items).map((c) => c.id)).toEqual(['C1', 'C2']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('applies the duplicate rules to JSON lines too', async () => {
    const items = await importText(
      jsonLines(
        '{"id":"C1","name":"王芳","phone":"13800138000"}',
        '{"id":"C1","name":"王芳","phone":"13800138001"}',
        '{"id":"C2","name":"李娜","phone":"+86 138 0013 8000"}',
      ),
      'jsonl',
    );

    expect(outline(items)).toEqual(['1 ok C1', '2 rejected id', '3 ok C2']);
    expect(reportsOf(items)[1]).toMatchObject({ line: 3, column: 'phone', action: 'kept' });
  });

  it('reads .ndjson files as JSON lines too', async () => {
    const items = await importFile(tempFile('{"id":"C1","name":"王芳","email":"wang@example.cn"}\n', 'ndjson'));

    expect(outline(items)).toEqual(['1 ok C1']);
  });
});
