import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_COLUMNS } from '../../../../functions/core/customer-row.js';
import { customersOf, HEADER, importFile, importText, outline, reportsOf } from '../../../support/customer-files.js';

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

describe('readCustomerFile on a malformed CSV', () => {
  describe('quotes', () => {
    it('rejects an unclosed quote on the line it opens and reads the lines after it as rows', async () => {
      const csv = lines(HEADER, 'C1,王芳,13800138000,', 'C2,"李娜,13800138001,', 'C3,张伟,13800138002,', 'C4,赵敏,13800138003,');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 ok C1', '3 rejected name', '4 ok C3', '5 ok C4']);
      expect(reportsOf(items)[0]?.reason).toBe(
        'a double quote (") opens a value here and is never closed; reading went on with the next line',
      );
    });

    it('rejects a double quote inside an unquoted value, and only that row', async () => {
      const csv = lines(HEADER, 'C1,王芳,13800138000,', 'C2,Wang "Fang",13800138001,', 'C3,张伟,13800138002,');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 ok C1', '3 rejected name', '4 ok C3']);
      expect(reportsOf(items)[0]?.reason).toMatch(/^a double quote \("\) in the middle of a value: put the whole value/);
    });

    it('rejects text after a closing quote without swallowing the rows below it', async () => {
      // csv-parse stays inside the quote after this error and would run on to the next closing quote (line 4).
      const csv = lines(
        HEADER,
        'C1,"Wang"x,13800138000,',
        'C2,Li,13800138001,',
        'C3,"Zhao",13800138002,',
        'C4,Zhou,13800138003,',
      );

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 rejected name', '3 ok C2', '4 ok C3', '5 ok C4']);
      expect(reportsOf(items)[0]?.reason).toMatch(/^text after the closing double quote of a value/);
    });

    it('gets through a file with a broken quote on every other row', async () => {
      const rows = Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0 ? `G${i},王芳,1380013${String(i).padStart(4, '0')},` : `B${i},"broken,1380013${String(i).padStart(4, '0')},`,
      );

      const items = await importText(lines(HEADER, ...rows));

      expect(customersOf(items).map((c) => c.id)).toEqual(rows.filter((_, i) => i % 2 === 0).map((r) => r.split(',')[0]));
      expect(reportsOf(items).map((r) => r.line)).toEqual(rows.flatMap((_, i) => (i % 2 === 1 ? [i + 2] : [])));
    });

    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
    ])('gives a row after a value spanning three lines its own physical line (%s)', async (_, eol) => {
      const csv = [
        HEADER,
        'C1,"王芳',
        '（上海）',
        'VIP",13800138000,',
        'C2,"Li"x,13800138001,',
        'C3,Li "Na",13800138002,',
        'C4,张伟,13800138003,',
        '',
      ].join(eol);

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 ok C1', '5 rejected name', '6 rejected name', '7 ok C4']);
      expect(customersOf(items)[0]?.name).toBe('王芳\n（上海）\nVIP');
    });
  });

  // Found by test/fuzz/files/customers/csv.test.ts: each lost the valid row after the broken one.
  describe('a quote that takes the lines below it along', () => {
    it('reads the row again when csv-parse takes the quote before a NUL byte for a closing one', async () => {
      const csv = lines('note,id,name,phone', 'H1,"unclosed', '"\0",C2,王芳,13800138000');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['1 kept note', '2 rejected id', '3 ok C2']);
    });

    it('reads the row again when a quoted value below starts with a line break and closes the quote', async () => {
      const csv = lines('note,id,name,phone', 'H1,"unclosed', '"', 'x",C2,王芳,13800138000', ',C3,张伟,13800138002');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['1 kept note', '2 rejected name', '3 ok C2', '5 ok C3']);
      expect(reportsOf(items)[1]?.reason).toMatch(/reading went on with the next line$/);
    });

    it('reads the lines again that a quote opened after a stray quote took along', async () => {
      const csv = lines('x,name,phone,id', 'H1,a",",', '"', '","王芳","13800138000","C2"');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['1 kept x', '2 rejected name', '3 ok C2']);
    });

    it('starts again on a line that begins with the bytes FF FE without reading the rest as UTF-16', async () => {
      const csv = Buffer.concat([
        Buffer.from(lines(HEADER, 'H1,"unclosed,13800138000,')),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(lines(',王芳,13800138001,', 'C3,张伟,13800138002,')),
      ]);

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 rejected name', '3 rejected id', '4 ok C3']);
    });
  });

  describe('row width', () => {
    it('rejects a row with fewer or more values than the header has columns', async () => {
      const csv = lines(HEADER, 'C1,王芳,13800138000', 'C2,李娜,13800138001,,extra', 'C3,张伟,13800138002,');

      const items = await importText(csv);

      expect(reportsOf(items)).toEqual([
        {
          line: 2,
          id: 'C1',
          column: 'email',
          reason: 'the row has 3 values but the header has 4 columns: a value that contains a comma must be in double quotes',
          action: 'rejected',
        },
        {
          line: 3,
          id: 'C2',
          column: 'column 5',
          reason: 'the row has 5 values but the header has 4 columns: a value that contains a comma must be in double quotes',
          action: 'rejected',
        },
      ]);
      expect(customersOf(items).map((c) => c.id)).toEqual(['C3']);
    });

    it('skips empty lines and keeps counting them', async () => {
      const csv = lines(HEADER, '', 'C1,王芳,13800138000,', '', '', 'C2,李娜,13800138001,');

      expect(outline(await importText(csv))).toEqual(['3 ok C1', '6 ok C2']);
    });

    it('rejects a row of blanks as empty', async () => {
      const csv = lines(HEADER, ',,,', '   ', 'C1,王芳,13800138000,');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 rejected ', '3 rejected ', '4 ok C1']);
      expect(reportsOf(items).map((r) => r.reason)).toEqual(['the row is empty', 'the row is empty']);
    });
  });

  describe('the header', () => {
    it('imports nothing, and says nothing, from a file with only a header', async () => {
      expect(await importText(lines(HEADER))).toEqual([]);
    });

    it('rejects an empty file once', async () => {
      const items = await importText('');

      expect(outline(items)).toEqual(['1 rejected header']);
      expect(reportsOf(items)[0]?.reason).toMatch(/^the file is empty: the first line must name the columns/);
    });

    it('rejects a file without a header once, instead of every row alike', async () => {
      const csv = lines('C1,王芳,13800138000,wang@example.cn', 'C2,李娜,13800138001,li@example.cn');

      const items = await importText(csv);

      expect(reportsOf(items)).toEqual([
        {
          line: 1,
          id: '',
          column: 'id, name',
          reason:
            'the header line has no id or name column, so no customer was imported: the first line must name the columns, for example id,name,phone,email',
          action: 'rejected',
        },
      ]);
    });

    it.each([
      ['name,phone,email', 'id'],
      ['id,phone,email', 'name'],
    ])('rejects a header without a required column (%s) once', async (header, missing) => {
      const items = await importText(lines(header, 'a,13800138000,a@example.cn', 'b,13800138001,b@example.cn'));

      expect(outline(items)).toEqual([`1 rejected ${missing}`]);
    });

    it('rejects a header with neither a phone nor an email column once', async () => {
      const items = await importText(lines('id,name,locale', 'C1,王芳,zh-CN'));

      expect(outline(items)).toEqual(['1 rejected phone, email']);
    });

    it('rejects a header that is not valid CSV once', async () => {
      const items = await importText(lines('id,"name,phone,email', 'C1,王芳,13800138000,'));

      expect(outline(items)).toEqual(['1 rejected header']);
      expect(reportsOf(items)[0]?.reason).toMatch(/^the header line is not valid CSV, so no customer was imported/);
    });

    it('reports each unknown column once, keeps the rows and ignores their values', async () => {
      const csv = lines(`${HEADER},vip_level,备注,`, 'C1,王芳,13800138000,,3,老客户,', 'C2,李娜,13800138001,,1,,');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['1 kept vip_level', '1 kept 备注', '1 kept column 7', '2 ok C1', '3 ok C2']);
      expect(reportsOf(items)[0]?.reason).toBe(
        `is not a customer column (${CUSTOMER_COLUMNS.join(', ')}), so its values were ignored`,
      );
      expect(Object.keys(customersOf(items)[0] ?? {})).toEqual(Object.keys(customersOf(items)[1] ?? {}));
    });

    it('reads the first of two columns with the same name and reports the second', async () => {
      const csv = lines('id,name,phone,Phone,email', 'C1,王芳,13800138000,13900000000,');

      const items = await importText(csv);

      expect(customersOf(items)[0]?.phone).toBe('+8613800138000');
      expect(reportsOf(items)).toEqual([
        {
          line: 1,
          id: '',
          column: 'Phone',
          reason: 'appears twice in the header (columns 3 and 4): only column 3 was read',
          action: 'kept',
        },
      ]);
    });

    it('matches column names without regard to case or surrounding spaces', async () => {
      const items = await importText(lines(' ID , Name ,PHONE,Email,TIMEZONE', 'C1,王芳,13800138000,,Asia/Urumqi'));

      expect(customersOf(items)[0]).toMatchObject({ id: 'C1', phone: '+8613800138000', timeZone: 'Asia/Urumqi' });
    });
  });

  describe('damaged bytes and huge values', () => {
    it('rejects a value with a NUL byte', async () => {
      const csv = lines(HEADER, 'C1,王\0芳,13800138000,', 'C2,李娜,13800138001,');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 rejected name', '3 ok C2']);
      expect(reportsOf(items)[0]?.reason).toBe('contains a NUL character: the file looks damaged or is not a text file');
    });

    it('rejects a value that is not UTF-8 (a GBK-encoded name)', async () => {
      const gbkWangFang = Buffer.from([0xcd, 0xf5, 0xb7, 0xbc]);
      const csv = Buffer.concat([
        Buffer.from(`${HEADER}\nC1,`),
        gbkWangFang,
        Buffer.from(',13800138000,\nC2,李娜,13800138001,\n'),
      ]);

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 rejected name', '3 ok C2']);
      expect(reportsOf(items)[0]).toMatchObject({
        id: 'C1',
        reason: 'contains bytes that are not UTF-8 text: save the file as UTF-8 ("CSV UTF-8" in Excel) and import it again',
      });
    });

    it('rejects a value over 10 KB by itself', async () => {
      const csv = lines(HEADER, 'C1,王芳,13800138000,', `C2,"${'x'.repeat(20_000)}",13800138001,`, 'C3,张伟,13800138002,');

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 ok C1', '3 rejected name', '4 ok C3']);
      expect(reportsOf(items)[0]?.reason).toBe('longer than 10 KB (20 KB): no customer value is that long');
    });

    it.each([
      ['quoted', (v: string) => `"${v}"`],
      ['unquoted', (v: string) => v],
    ])('rejects a 10 MB %s value and goes on with the next row', async (_, write) => {
      const csv = lines(
        HEADER,
        'C1,王芳,13800138000,',
        `C2,${write('x'.repeat(10 * 1024 * 1024))},13800138001,`,
        'C3,张伟,13800138002,',
      );

      const items = await importText(csv);

      expect(outline(items)).toEqual(['2 ok C1', '3 rejected name', '4 ok C3']);
      expect(reportsOf(items)[0]?.reason).toMatch(/^the row is longer than 1 MB \(values are limited to 10 KB\)/);
    });
  });

  it('never throws on a file with every kind of damage, and keeps every good row', async () => {
    const csv = Buffer.concat([
      Buffer.from(
        lines(
          `\uFEFF${HEADER},extra`,
          'G1,王芳,13800138000,,x',
          'B1,"unclosed,13800138001,,x',
          '',
          'G2,"李\n娜",13800138002,,x',
          'B2,"Li"x,13800138003,,x',
          'B3,too,few',
          'G3,张伟,13800138004,,x',
          'B4,Wang "Fang",13800138005,,x',
          'B5,赵\0敏,13800138006,,x',
          'G4,周杰,13800138007,,x',
          'B6,nobody,not a phone,,x',
          'G1,王芳,13800138008,,x',
        ),
      ),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(lines(',无名,13800138009,,x', 'G5,"吴""磊""",13800138010,a@example.cn,x')),
    ]);

    const items = await importText(csv);

    expect(outline(items)).toEqual([
      '1 kept extra',
      '2 ok G1',
      '3 rejected name',
      '5 ok G2',
      '7 rejected name',
      '8 rejected email',
      '9 ok G3',
      '10 rejected name',
      '11 rejected name',
      '12 ok G4',
      '13 rejected phone',
      '14 rejected id',
      '15 rejected id',
      '16 ok G5',
    ]);
    expect(customersOf(items).map((c) => c.name)).toEqual(['王芳', '李\n娜', '张伟', '周杰', '吴"磊"']);
  });
});

describe('readCustomerFile on a file it cannot open', () => {
  it('throws, since there is no input to report on', async () => {
    await expect(importFile(join(tmpdir(), 'revisit-no-such-file.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
