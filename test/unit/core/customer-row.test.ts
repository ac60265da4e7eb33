import { describe, expect, it } from 'vitest';
import { customerFromRow, NO_CONTACT, type RowDefaults } from '../../../functions/core/customer-row.js';
import type { Customer } from '../../../functions/core/schemas.js';

const defaults: RowDefaults = { region: 'CN', timeZone: 'Asia/Shanghai', locale: 'zh-CN' };
const row = { id: 'C0001', name: '王芳', phone: '138 0013 8000', email: 'Wang.Fang@Example.CN' };

function customerOf(input: Record<string, unknown>, rowDefaults = defaults): Customer {
  const result = customerFromRow(input, rowDefaults);
  if (!('customer' in result)) throw new Error(`expected a customer, got ${JSON.stringify(result.problems)}`);
  return result.customer;
}

function problemsOf(input: Record<string, unknown>): { column: string; reason: string }[] {
  const result = customerFromRow(input, defaults);
  return 'problems' in result ? result.problems : [];
}

describe('customerFromRow', () => {
  describe('phone numbers', () => {
    it.each([
      ['138 0013 8000', 'CN', '+8613800138000'],
      ['13800138000', 'CN', '+8613800138000'],
      ['+86 138-0013-8000', 'CN', '+8613800138000'],
      ['+1 (212) 555-0133', 'CN', '+12125550133'],
      ['(212) 555-0133', 'US', '+12125550133'],
      ['212 555 0133', 'us', '+12125550133'],
      ['１３８００１３８０００', 'CN', '+8613800138000'],
      ['＋８６ １３８－００１３－８０００', 'CN', '+8613800138000'],
      ['（０１０）１２３４５６７８', 'CN', '+861012345678'],
      ['+1 (212) 555-0134', 'CN', '+12125550134'],
      [13800138000, 'CN', '+8613800138000'],
    ])('normalises %j, default region %s, to E.164 %s', (phone, region, e164) => {
      expect(customerOf({ ...row, phone }, { ...defaults, region }).phone).toBe(e164);
    });

    it.each(['12345', '138 0013', 'call me'])('refuses %j as not a valid phone number', (phone) => {
      expect(problemsOf({ ...row, phone })).toEqual([{ column: 'phone', reason: 'not a valid phone number' }]);
    });

    it('accepts a customer with an e-mail address and no phone', () => {
      expect(customerOf({ ...row, phone: '' }).phone).toBeNull();
    });
  });

  describe('e-mail addresses', () => {
    it('lower-cases the address', () => {
      expect(customerOf(row).email).toBe('wang.fang@example.cn');
    });

    it.each(['wang.fang', 'wang@', 'a b@example.com'])('refuses %j as not a valid e-mail address', (email) => {
      expect(problemsOf({ ...row, email })).toEqual([{ column: 'email', reason: 'not a valid e-mail address' }]);
    });

    it('refuses a row with neither phone nor e-mail', () => {
      expect(problemsOf({ id: 'C1', name: 'A' })).toEqual([{ column: 'phone', reason: NO_CONTACT }]);
    });

    it('refuses an account manager who is not an e-mail address', () => {
      expect(problemsOf({ ...row, accountManager: 'Li Na' })).toEqual([
        { column: 'accountManager', reason: 'not a valid e-mail address' },
      ]);
    });

    it('splits and lower-cases the manager chain', () => {
      const customer = customerOf({ ...row, managerChain: 'Head.Of.Service@example.com; COO@example.com' });

      expect(customer.managerChain).toEqual(['head.of.service@example.com', 'coo@example.com']);
    });
  });

  describe('time zones, locales and dates', () => {
    it('takes the default zone and locale when the row has none', () => {
      expect(customerOf(row)).toMatchObject({ timeZone: 'Asia/Shanghai', locale: 'zh-CN' });
    });

    it('refuses an unknown time zone', () => {
      expect(problemsOf({ ...row, timeZone: 'Mars/Olympus' })).toEqual([
        { column: 'timeZone', reason: 'unknown time zone "Mars/Olympus": use an IANA name like Asia/Shanghai' },
      ]);
    });

    it('refuses a locale it has no templates for', () => {
      expect(problemsOf({ ...row, locale: 'fr-FR' }).map((p) => p.column)).toEqual(['locale']);
    });

    it.each([
      ['Asia/Shanghai', '2026-03-31', '2026-03-31T00:00:00+08:00'],
      ['America/New_York', '2026-03-31', '2026-03-31T00:00:00-04:00'],
      ['America/New_York', '2026-01-31', '2026-01-31T00:00:00-05:00'],
      ['Asia/Shanghai', '2026-03-31T10:00:00+08:00', '2026-03-31T10:00:00+08:00'],
    ])('reads a date in %s: %s -> %s', (timeZone, lastPurchaseAt, expected) => {
      expect(customerOf({ ...row, timeZone, lastPurchaseAt }).lastPurchaseAt).toBe(expected);
    });

    it.each(['31/03/2026', 'yesterday', '2026-13-01'])('refuses the date %j', (firstPurchaseAt) => {
      expect(problemsOf({ ...row, firstPurchaseAt })).toEqual([
        { column: 'firstPurchaseAt', reason: 'expected a date like 2026-03-31 or 2026-03-31T10:00:00+08:00' },
      ]);
    });
  });

  describe('consent flags', () => {
    it.each([
      ['yes', true],
      ['Yes', true],
      ['是', true],
      ['true', true],
      ['1', true],
      ['no', false],
      ['否', false],
      ['FALSE', false],
      ['0', false],
      ['', true],
      [true, true],
      [false, false],
    ])('reads %j as %s', (smsConsent, expected) => {
      expect(customerOf({ ...row, smsConsent }).smsConsent).toBe(expected);
    });

    it('refuses a flag that is neither yes nor no', () => {
      expect(problemsOf({ ...row, emailConsent: 'maybe' })).toEqual([
        { column: 'emailConsent', reason: 'expected yes/no, true/false or 1/0, got "maybe"' },
      ]);
    });
  });

  describe('numbers', () => {
    it('reads amounts with thousands separators', () => {
      expect(customerOf({ ...row, spend12m: '12,345.50', orders12m: '7' })).toMatchObject({ spend12m: 12345.5, orders12m: 7 });
    });

    it('takes an empty number as 0', () => {
      expect(customerOf({ ...row, spendPrev3m: '' }).spendPrev3m).toBe(0);
    });

    it.each([
      ['orders12m', '2.5', 'expected a whole number of 0 or more, got "2.5"'],
      ['openComplaints', '-1', 'expected a whole number of 0 or more, got "-1"'],
      ['spend12m', 'lots', 'expected a number of 0 or more, got "lots"'],
      ['spendLast3m', '-0.5', 'expected a number of 0 or more, got "-0.5"'],
      ['spend12m', '0x10', 'expected a number of 0 or more, got "0x10"'],
      ['spend12m', 'Infinity', 'expected a number of 0 or more, got "Infinity"'],
      ['orders12m', 2.5, 'expected a whole number of 0 or more, got 2.5'],
      ['spend12m', true, 'expected a number of 0 or more, got true'],
    ])('refuses %s = %j', (column, value, reason) => {
      expect(problemsOf({ ...row, [column]: value })).toEqual([{ column, reason }]);
    });
  });

  it('reports every problem of a row, one per column', () => {
    const problems = problemsOf({ id: '', name: '', phone: 'x', email: 'y', timeZone: 'Nowhere', orders12m: 'many' });

    expect(problems.map((p) => p.column).sort()).toEqual(['email', 'id', 'name', 'orders12m', 'phone', 'timeZone']);
  });

  it('keeps tags and trims text', () => {
    const customer = customerOf({ ...row, id: ' C0001 ', name: ' 王芳 ', tags: 'retail;online，vip' });

    expect(customer).toMatchObject({ id: 'C0001', name: '王芳', tags: ['retail', 'online', 'vip'] });
  });
});

describe('customerFromRow with values from JSON lines', () => {
  it.each([
    ['name', { first: '芳' }, 'expected one value, got an object'],
    ['id', ['C1'], 'expected one value, got a list'],
    ['phone', { cc: 86 }, 'expected one value, got an object'],
    ['tags', ['vip', { nested: true }], 'expected a list of texts, got a list with nested values'],
    ['smsConsent', 'maybe', 'expected yes/no, true/false or 1/0, got "maybe"'],
    ['emailConsent', 2, 'expected yes/no, true/false or 1/0, got "2"'],
  ])('refuses %s = %j, once, on that column', (column, value, reason) => {
    expect(problemsOf({ ...row, [column]: value })).toEqual([{ column, reason }]);
  });

  it('reads JSON numbers, booleans and lists', () => {
    const customer = customerOf({ ...row, id: 42, spend12m: 1200.5, orders12m: 3, smsConsent: 0, tags: ['vip', 'online'] });

    expect(customer).toMatchObject({ id: '42', spend12m: 1200.5, orders12m: 3, smsConsent: false, tags: ['vip', 'online'] });
  });
});

describe('customerFromRow, friendlier forms of the same value', () => {
  it('reads full-width digits and currency signs in amounts', () => {
    expect(customerOf({ ...row, spend12m: '￥１２,３４５', orders12m: '７' })).toMatchObject({ spend12m: 12345, orders12m: 7 });
  });

  it('reads a year-first slash date and a date-time with a space', () => {
    const customer = customerOf({ ...row, lastPurchaseAt: '2026/3/31', firstPurchaseAt: '2025-12-01 09:30' });

    expect(customer).toMatchObject({
      lastPurchaseAt: '2026-03-31T00:00:00+08:00',
      firstPurchaseAt: '2025-12-01T09:30:00+08:00',
    });
  });

  it.each([
    ['zh_CN', 'zh-CN'],
    ['EN-us', 'en-US'],
  ])('reads the locale %j as %s', (locale, expected) => {
    expect(customerOf({ ...row, locale }).locale).toBe(expected);
  });

  it('refuses an offset where an IANA zone name belongs', () => {
    expect(problemsOf({ ...row, timeZone: '+08:00' }).map((p) => p.column)).toEqual(['timeZone']);
  });

  it('refuses an id with a line break in it', () => {
    expect(problemsOf({ ...row, id: 'C1\nC2' })).toEqual([
      { column: 'id', reason: 'contains a line break or another control character' },
    ]);
  });

  it('refuses an id longer than 64 characters', () => {
    expect(problemsOf({ ...row, id: 'C'.repeat(65) })).toEqual([{ column: 'id', reason: 'longer than 64 characters' }]);
  });

  it('reads a full-width @ in an e-mail address', () => {
    expect(customerOf({ ...row, email: 'wang＠example.cn' }).email).toBe('wang@example.cn');
  });
});
