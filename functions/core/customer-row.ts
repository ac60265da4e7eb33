import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { type Customer, customerSchema } from './schemas.js';

/** The columns of a customer file (CSV header or JSON-lines keys); README lists them. */
export const CUSTOMER_COLUMNS = [
  'id',
  'name',
  'phone',
  'email',
  'locale',
  'timeZone',
  'accountManager',
  'managerChain',
  'smsConsent',
  'emailConsent',
  'lastPurchaseAt',
  'firstPurchaseAt',
  'orders12m',
  'spend12m',
  'spendPrev3m',
  'spendLast3m',
  'openComplaints',
  'tags',
] as const;

export interface RowDefaults {
  region: string;
  timeZone: string;
  locale: 'zh-CN' | 'en-US';
}

export interface RowProblem {
  column: string;
  reason: string;
}

const TRUE = new Set(['true', 'yes', 'y', '1', '是', 'x']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '']);
const emailSchema = z.email();

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim();
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text).filter(Boolean);
  return text(value)
    .split(/[;|,，；]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Turns one raw row into a Customer, or says what is wrong with it, column by column.
 * Phones become E.164 (libphonenumber, default region from the campaign), e-mails and IANA zones are
 * checked, dates may be ISO dates or date-times (read in the customer's zone), numbers must be numbers.
 */
export function customerFromRow(
  row: Record<string, unknown>,
  defaults: RowDefaults,
): { customer: Customer } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const timeZone = text(row.timeZone) || defaults.timeZone;
  if (!IANAZone.isValidZone(timeZone)) problems.push({ column: 'timeZone', reason: `unknown time zone "${timeZone}"` });

  const rawPhone = text(row.phone);
  let phone: string | null = null;
  if (rawPhone) {
    const parsed = parsePhoneNumberFromString(rawPhone, defaults.region.toUpperCase() as CountryCode);
    if (parsed?.isValid()) phone = parsed.number;
    else problems.push({ column: 'phone', reason: 'not a valid phone number' });
  }
  const rawEmail = text(row.email).toLowerCase();
  let email: string | null = null;
  if (rawEmail) {
    if (emailSchema.safeParse(rawEmail).success) email = rawEmail;
    else problems.push({ column: 'email', reason: 'not a valid e-mail address' });
  }
  const bool = (column: string, fallback: boolean): boolean => {
    const raw = row[column];
    if (typeof raw === 'boolean') return raw;
    const value = text(raw).toLowerCase();
    if (value === '') return fallback;
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    problems.push({ column, reason: `expected yes/no, true/false or 1/0, got "${value.slice(0, 20)}"` });
    return false;
  };
  const num = (column: string, integer: boolean): number => {
    const raw = row[column];
    if (raw === undefined || raw === null || text(raw) === '') return 0;
    const value = typeof raw === 'number' ? raw : Number(text(raw).replace(/[,，\s]/g, ''));
    if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      problems.push({ column, reason: `expected a ${integer ? 'whole ' : ''}number of 0 or more` });
      return 0;
    }
    return value;
  };
  const date = (column: string): string | null => {
    const value = text(row[column]);
    if (!value) return null;
    const parsed = DateTime.fromISO(value, { zone: IANAZone.isValidZone(timeZone) ? timeZone : 'UTC', setZone: true });
    if (!parsed.isValid) {
      problems.push({ column, reason: 'expected a date like 2026-03-31 or 2026-03-31T10:00:00+08:00' });
      return null;
    }
    return parsed.toISO({ suppressMilliseconds: true });
  };
  const locale = text(row.locale) || defaults.locale;
  const candidate = {
    id: text(row.id),
    name: text(row.name),
    phone,
    email,
    locale,
    timeZone,
    accountManager: text(row.accountManager).toLowerCase() || null,
    managerChain: list(row.managerChain).map((s) => s.toLowerCase()),
    smsConsent: bool('smsConsent', true),
    emailConsent: bool('emailConsent', true),
    lastPurchaseAt: date('lastPurchaseAt'),
    firstPurchaseAt: date('firstPurchaseAt'),
    orders12m: num('orders12m', true),
    spend12m: num('spend12m', false),
    spendPrev3m: num('spendPrev3m', false),
    spendLast3m: num('spendLast3m', false),
    openComplaints: num('openComplaints', true),
    tags: list(row.tags),
  };
  if (!candidate.id) problems.push({ column: 'id', reason: 'missing' });
  if (!candidate.name) problems.push({ column: 'name', reason: 'missing' });
  if (!phone && !email && !rawPhone && !rawEmail) problems.push({ column: 'phone', reason: 'neither phone nor email given' });
  for (const [column, value] of [
    ['accountManager', candidate.accountManager],
    ...candidate.managerChain.map((m) => ['managerChain', m]),
  ] as const) {
    if (value && !emailSchema.safeParse(value).success) problems.push({ column, reason: 'not a valid e-mail address' });
  }
  if (problems.length > 0) return { problems };
  const parsed = customerSchema.safeParse(candidate);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => ({ column: String(i.path[0] ?? ''), reason: i.message })) };
  }
  return { customer: parsed.data };
}
