import type { ReadStream } from 'node:fs';
import { statSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { readCustomerFile } from '../../../../files/customer-file.js';
import { cnDefaults, HEADER, tempFile } from '../../../support/customer-files.js';

// Every stream the reader opens, so the test can see how much of the file had been read at any moment.
const opened = vi.hoisted(() => [] as ReadStream[]);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const createReadStream = ((...args: Parameters<typeof fs.createReadStream>) => {
    const stream = fs.createReadStream(...args);
    opened.push(stream);
    return stream;
  }) as typeof fs.createReadStream;
  return { ...fs, default: { ...fs, createReadStream }, createReadStream };
});

const ROWS = 100_000;

function bigCsv(): string {
  const rows = [HEADER];
  for (let i = 0; i < ROWS; i++) {
    const n = String(i).padStart(6, '0');
    // Every fourth customer has a quoted name with a comma and a line break, the rest a phone or an e-mail.
    const name = i % 4 === 0 ? `"王芳${n}, 上海\n分公司"` : `李娜${n}`;
    rows.push(i % 2 === 0 ? `C${n},${name},13800${n},` : `C${n},${name},,c${n}@example.cn`);
  }
  return `${rows.join('\n')}\n`;
}

describe('readCustomerFile on a 100,000-row file', () => {
  it('streams: the first customer comes out before a tenth of the file is read, and every row once', {
    timeout: 30_000,
  }, async () => {
    const file = tempFile(bigCsv());
    const size = statSync(file).size;
    const bytesRead = () => opened.reduce((sum, stream) => sum + stream.bytesRead, 0);
    let readAtFirstItem = -1;
    let customers = 0;
    let rejected = 0;
    let lastLine = 0;
    let linesInOrder = true;

    for await (const item of readCustomerFile(file, cnDefaults)) {
      if (readAtFirstItem < 0) readAtFirstItem = bytesRead();
      if ('customer' in item) customers++;
      else rejected++;
      linesInOrder &&= item.line > lastLine;
      lastLine = item.line;
    }

    expect(readAtFirstItem).toBeGreaterThan(0);
    expect(readAtFirstItem).toBeLessThan(size / 10);
    expect({ customers, rejected, linesInOrder }).toEqual({ customers: ROWS, rejected: 0, linesInOrder: true });
    expect(lastLine).toBe(1 + ROWS + ROWS / 4);
    expect(bytesRead()).toBe(size);
  });
});
