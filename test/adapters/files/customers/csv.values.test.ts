import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rejectedCsv } from '../../../../files/customer-file.js';
import { cnDefaults, customersOf, HEADER, importText, outline, reportsOf } from '../../../support/customer-files.js';

const fixture = readFileSync(new URL('../../../fixtures/import/bom-crlf-chinese.csv', import.meta.url));
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

const defaultsOfCustomer = {
  email: null,
  locale: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  accountManager: null,
  managerChain: [],
  smsConsent: true,
  emailConsent: true,
  lastPurchaseAt: null,
  firstPurchaseAt: null,
  orders12m: 0,
  spend12m: 0,
  spendPrev3m: 0,
  spendLast3m: 0,
  openComplaints: 0,
  tags: [],
} as const;

// Every field the file sets, exactly; fields the schema may add later are not this test's business.
const expected = [
  {
    line: 2,
    customer: {
      id: 'C001',
      name: '王芳',
      phone: '+8613800138000',
      email: 'wang.fang@example.cn',
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      accountManager: 'li.na@example.com',
      managerChain: ['head.of.service@example.com', 'coo@example.com'],
      smsConsent: true,
      emailConsent: false,
      lastPurchaseAt: '2026-11-30T00:00:00+08:00',
      firstPurchaseAt: '2024-02-01T00:00:00+08:00',
      orders12m: 12,
      spend12m: 12345.5,
      spendPrev3m: 3000,
      spendLast3m: 1200,
      openComplaints: 0,
      tags: ['vip', 'online'],
    },
  },
  { line: 3, customer: { ...defaultsOfCustomer, id: 'C002', name: '欧阳, 娜娜', phone: '+8613912345678' } },
  {
    line: 4,
    customer: {
      ...defaultsOfCustomer,
      id: 'C003',
      name: '张伟\n（北京分公司）',
      phone: '+12125550134',
      email: 'zhang.wei@example.com',
      locale: 'en-US',
      timeZone: 'America/New_York',
      lastPurchaseAt: '2026-10-01T09:30:00-04:00',
      orders12m: 3,
      spend12m: 800,
      openComplaints: 1,
      tags: ['wholesale', 'b2b'],
    },
  },
  { line: 6, customer: { ...defaultsOfCustomer, id: 'C004', name: '李"小龙"', phone: '+861065529988' } },
];

describe('readCustomerFile on a well-formed CSV', () => {
  const variants: [string, Buffer][] = [
    ['BOM and CRLF', fixture],
    ['BOM and LF', Buffer.from(fixture.toString('utf8').replaceAll('\r\n', '\n'))],
    ['no BOM, CRLF', fixture.subarray(3)],
    ['no BOM, LF', Buffer.from(fixture.subarray(3).toString('utf8').replaceAll('\r\n', '\n'))],
  ];

  it.each(variants)('reads Chinese names, quoted commas, quotes and line breaks exactly (%s)', async (_, bytes) => {
    const items = await importText(bytes);

    expect(items).toMatchObject(expected.map((item) => ({ ...item, warnings: [] })));
  });

  it('reports nothing for a clean file', async () => {
    expect(reportsOf(await importText(fixture))).toEqual([]);
  });
});

describe('line ends', () => {
  it('reads a file whose lines end in a lone CR (old Mac Excel)', async () => {
    const csv = [HEADER, 'C1,"王\r芳",13800138000,', 'C2,李娜,13800138001,', ''].join('\r');

    const items = await importText(csv);

    expect(outline(items)).toEqual(['2 ok C1', '4 ok C2']);
    expect(customersOf(items)[0]?.name).toBe('王\n芳');
  });

  it('keeps a lone CR inside a value of an LF file as data, counting it as a line the way an editor does', async () => {
    const csv = lines(HEADER, 'C1,王\r芳,13800138000,', 'C2,李娜,13800138001,', 'C3,"Li"x,13800138002,', 'C4,张伟,13800138003,');

    const items = await importText(csv);

    expect(outline(items)).toEqual(['2 ok C1', '4 ok C2', '5 rejected name', '6 ok C4']);
    expect(customersOf(items)[0]?.name).toBe('王\r芳');
  });

  it('keeps reading an LF file as LF after a broken quote, even when the next line holds a lone CR', async () => {
    const csv = lines(HEADER, 'C1,"Li"x,13800138000,', 'C2,王\r芳,13800138001,', 'C3,张伟,13800138002,');

    const items = await importText(csv);

    expect(outline(items)).toEqual(['2 rejected name', '3 ok C2', '5 ok C3']);
    expect(customersOf(items)[0]?.name).toBe('王\r芳');
  });
});

describe('phone numbers in a file', () => {
  const phonesOf = async (phones: string[], region: string) => {
    const csv = lines(HEADER, ...phones.map((phone, i) => `C${i},王芳,"${phone}",`));
    const items = await importText(csv, 'csv', { ...cnDefaults, region });
    return items.map((item) => ('customer' in item ? item.customer.phone : `rejected: ${item.rejected[0]?.reason}`));
  };

  it('normalizes full-width digits, spaces, dashes and brackets to E.164 in the default region CN', async () => {
    const phones = [
      '１３８００１３８０００',
      '138-0013-8000',
      '(010) 6552-9988',
      '（０１０）６５５２－９９８８',
      '+86 138 0013 8000',
      '0086 138 0013 8000',
    ];

    expect(await phonesOf(phones, 'CN')).toEqual([
      '+8613800138000',
      '+8613800138000',
      '+861065529988',
      '+861065529988',
      '+8613800138000',
      '+8613800138000',
    ]);
  });

  it('reads a number with a +country prefix in its own country whatever the default region', async () => {
    expect(await phonesOf(['+1 (212) 555-0134', '+44 20 7946 0958'], 'CN')).toEqual(['+12125550134', '+442079460958']);
  });

  it('reads a number without a country code in the default region of the campaign (US)', async () => {
    expect(await phonesOf(['(212) 555-0134', '212.555.0134', '+86 138 0013 8000', '13800138000'], 'US')).toEqual([
      '+12125550134',
      '+12125550134',
      '+8613800138000',
      'rejected: not a valid phone number',
    ]);
  });
});

describe('duplicates', () => {
  const csv = lines(
    HEADER,
    'C1,王芳,13800138000,wang@example.cn',
    'C2,李娜,138 0013 8000,li@example.cn',
    'C1,王芳二,13900000000,',
    'C3,张伟,,WANG@example.cn',
    'C4,,13900000001,',
    'C4,赵敏,13900000001,',
  );

  it('rejects a repeated id, naming the line that has it first', async () => {
    const items = await importText(csv);

    expect(items.find((item) => item.line === 4)).toEqual({
      line: 4,
      rejected: [
        {
          line: 4,
          id: 'C1',
          column: 'id',
          reason: 'the same id as line 2: only the first row with an id is imported',
          action: 'rejected',
        },
      ],
    });
  });

  it('keeps a repeated phone or e-mail (after normalizing) and names the first customer with it', async () => {
    const items = await importText(csv);

    expect(reportsOf(items).filter((r) => r.action === 'kept')).toEqual([
      {
        line: 3,
        id: 'C2',
        column: 'phone',
        reason: 'the same phone number as customer C1 (line 2); imported anyway',
        action: 'kept',
      },
      {
        line: 5,
        id: 'C3',
        column: 'email',
        reason: 'the same e-mail address as customer C1 (line 2); imported anyway',
        action: 'kept',
      },
    ]);
  });

  it('lets the first valid row with an id have it', async () => {
    expect(outline(await importText(csv))).toEqual([
      '2 ok C1',
      '3 ok C2',
      '4 rejected id',
      '5 ok C3',
      '6 rejected name',
      '7 ok C4',
    ]);
  });
});

describe('rejectedCsv', () => {
  it('writes a UTF-8 spreadsheet with a BOM, one row per report, and quotes cells that look like formulas', () => {
    const csv = rejectedCsv([
      {
        line: 3,
        id: '=HYPERLINK("http://evil")',
        column: 'name',
        reason: 'missing: every customer needs a name',
        action: 'rejected',
      },
      { line: 1, id: '', column: '@cmd', reason: 'is not a customer column', action: 'kept' },
    ]);

    expect(csv).toBe(
      '\uFEFFline,id,column,reason,action\n' +
        `3,"'=HYPERLINK(""http://evil"")",name,missing: every customer needs a name,rejected\n` +
        "1,,'@cmd,is not a customer column,kept\n",
    );
  });
});
