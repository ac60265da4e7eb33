import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { type Customer, customerSchema, LOCALES, type Locale } from './schemas.js';

/** The columns of a customer file (CSV header or JSON-lines keys); docs/campaign-files.md lists them. */
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
export type CustomerColumn = (typeof CUSTOMER_COLUMNS)[number];

/** Without these a file cannot be imported at all; phone or email must also be there (one of the two). */
export const REQUIRED_COLUMNS: readonly CustomerColumn[] = ['id', 'name'];

export interface RowDefaults {
  region: string;
  timeZone: string;
  locale: 'zh-CN' | 'en-US';
}

export interface RowProblem {
  column: string;
  reason: string;
}

const MAX_ID_LENGTH = 64;
const MAX_NAME_LENGTH = 200;
const TRUE = new Set(['true', 'yes', 'y', '1', '是', 'x']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '']);
const emailSchema = z.email();
const LIST_SEPARATORS = /[;|,，；]/;
/** Area/Location names (and UTC, EST...): keeps offsets such as "+08:00", which Intl also accepts, out. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
/** ISO dates and date-times, and the year-first 2026/3/31 that spreadsheets in zh-CN write. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const SLASH_DATE = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
/** The reason a row with neither a phone nor an e-mail gets (reported on the phone column). */
export const NO_CONTACT = 'neither a phone number nor an e-mail address: at least one is needed';
const DATE_REASON = 'expected a date like 2026-03-31 or 2026-03-31T10:00:00+08:00';

/** A short, quoted excerpt of a bad value for a reason; only for columns that hold no personal data. */
function shown(value: string): string {
  return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

// IANAZone.isValidZone builds an Intl formatter on every call (~150 µs); a file holds few distinct zones.
const zoneValidity = new Map<string, boolean>();

function isZone(name: string): boolean {
  const known = zoneValidity.get(name);
  if (known !== undefined) return known;
  const valid = ZONE_NAME.test(name) && IANAZone.isValidZone(name);
  if (zoneValidity.size >= 1000) zoneValidity.clear();
  zoneValidity.set(name, valid);
  return valid;
}

// A file holds few distinct days; luxon computes a zone's offset through Intl on every call.
const isoDates = new Map<string, string | null>();

/** The ISO date-time a date or date-time means in the zone, or null when it is not a date. */
function isoDateIn(value: string, zone: string): string | null {
  const key = `${zone} ${value}`;
  const known = isoDates.get(key);
  if (known !== undefined) return known;
  const slash = SLASH_DATE.exec(value);
  const parsed = slash
    ? DateTime.fromObject({ year: Number(slash[1]), month: Number(slash[2]), day: Number(slash[3]) }, { zone })
    : ISO_DATE.test(value)
      ? DateTime.fromISO(value.replace(' ', 'T'), { zone, setZone: true })
      : null;
  const iso = parsed?.isValid ? parsed.toISO({ suppressMilliseconds: true }) : null;
  if (isoDates.size >= 10_000) isoDates.clear();
  isoDates.set(key, iso);
  return iso;
}

function localeOf(value: string): Locale | undefined {
  const wanted = value.replace('_', '-').toLowerCase();
  return LOCALES.find((l) => l.toLowerCase() === wanted);
}

/**
 * Turns one raw row into a Customer, or says what is wrong with it, one problem per column.
 * Values come as text (CSV) or as JSON values (JSON lines): a number where text is expected is read as
 * its digits, a nested object or list where one value is expected is refused.
 * Phones become E.164 (libphonenumber, default region from the campaign; full-width digits, spaces,
 * dashes and brackets are fine), e-mails and IANA zones are checked, dates may be ISO dates or
 * date-times (read in the customer's zone), numbers must be numbers of 0 or more.
 */
export function customerFromRow(
  row: Record<string, unknown>,
  defaults: RowDefaults,
): { customer: Customer } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem = (column: string, reason: string): void => {
    if (!problems.some((p) => p.column === column)) problems.push({ column, reason });
  };
  const hasProblem = (column: string): boolean => problems.some((p) => p.column === column);

  const text = (column: string): string => {
    const raw = row[column];
    if (raw === undefined || raw === null) return '';
    if (typeof raw === 'string') return raw.trim();
    if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
    problem(column, `expected one value, got ${kindOf(raw)}`);
    return '';
  };
  const list = (column: string): string[] => {
    const raw = row[column];
    if (!Array.isArray(raw)) {
      return text(column)
        .split(LIST_SEPARATORS)
        .map((s) => s.trim())
        .filter(Boolean);
    }
    if (raw.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      problem(column, 'expected a list of texts, got a list with nested values');
      return [];
    }
    return raw.map((v) => String(v).trim()).filter(Boolean);
  };
  const bool = (column: string, fallback: boolean): boolean => {
    const raw = row[column];
    if (typeof raw === 'boolean') return raw;
    if (raw === 0 || raw === 1) return raw === 1;
    const value = text(column).toLowerCase();
    if (value === '') return fallback;
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    problem(column, `expected yes/no, true/false or 1/0, got ${shown(value)}`);
    return false;
  };
  const num = (column: string, integer: boolean): number => {
    const raw = row[column];
    const reason = `expected a ${integer ? 'whole ' : ''}number of 0 or more`;
    if (typeof raw === 'number') {
      if (Number.isFinite(raw) && raw >= 0 && (!integer || Number.isInteger(raw))) return raw;
      problem(column, `${reason}, got ${raw}`);
      return 0;
    }
    if (typeof raw === 'boolean') {
      problem(column, `${reason}, got ${raw}`);
      return 0;
    }
    const value = text(column);
    if (value === '') return 0;
    // Full-width digits, thousands separators and a leading currency sign are how spreadsheets show money.
    const plain = value
      .normalize('NFKC')
      .replace(/[,，\s]/g, '')
      .replace(/^[¥$]/, '');
    const parsed = /^\d+(\.\d+)?$/.test(plain) ? Number(plain) : Number.NaN;
    if (!Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
      problem(column, `${reason}, got ${shown(value)}`);
      return 0;
    }
    return parsed;
  };
  const email = (column: string): string | null => {
    const value = text(column).normalize('NFKC').toLowerCase();
    if (!value) return null;
    if (emailSchema.safeParse(value).success) return value;
    problem(column, 'not a valid e-mail address');
    return null;
  };

  const rawZone = text('timeZone');
  const timeZone = rawZone || defaults.timeZone;
  if (!isZone(timeZone)) problem('timeZone', `unknown time zone ${shown(timeZone)}: use an IANA name like Asia/Shanghai`);
  const dateZone = isZone(timeZone) ? timeZone : 'UTC';
  const date = (column: string): string | null => {
    const value = text(column);
    if (!value) return null;
    const iso = isoDateIn(value, dateZone);
    if (!iso) problem(column, DATE_REASON);
    return iso;
  };

  const id = text('id');
  if (!hasProblem('id')) {
    if (!id) problem('id', 'missing: every customer needs an id');
    else if (id.length > MAX_ID_LENGTH) problem('id', `longer than ${MAX_ID_LENGTH} characters`);
    else if (/\p{Cc}/u.test(id)) problem('id', 'contains a line break or another control character');
  }
  const name = text('name');
  if (!hasProblem('name')) {
    if (!name) problem('name', 'missing: every customer needs a name');
    else if (name.length > MAX_NAME_LENGTH) problem('name', `longer than ${MAX_NAME_LENGTH} characters`);
  }

  const rawPhone = text('phone').normalize('NFKC');
  let phone: string | null = null;
  if (rawPhone) {
    const parsed = parsePhoneNumberFromString(rawPhone, defaults.region.toUpperCase() as CountryCode);
    if (parsed?.isValid()) phone = parsed.number;
    else problem('phone', 'not a valid phone number');
  }
  const customerEmail = email('email');
  if (!rawPhone && !customerEmail && !hasProblem('phone') && !hasProblem('email')) {
    problem('phone', NO_CONTACT);
  }

  const rawLocale = text('locale');
  const locale = rawLocale ? localeOf(rawLocale) : defaults.locale;
  if (!locale && !hasProblem('locale')) {
    problem('locale', `unsupported locale ${shown(rawLocale)}: use ${LOCALES.join(' or ')}`);
  }

  const managerChain = list('managerChain').map((m) => m.normalize('NFKC').toLowerCase());
  if (managerChain.some((m) => !emailSchema.safeParse(m).success)) {
    problem('managerChain', 'not a list of e-mail addresses (separate them with ;)');
  }

  const candidate = {
    id,
    name,
    phone,
    email: customerEmail,
    locale: locale ?? defaults.locale,
    timeZone,
    accountManager: email('accountManager'),
    managerChain,
    smsConsent: bool('smsConsent', true),
    emailConsent: bool('emailConsent', true),
    lastPurchaseAt: date('lastPurchaseAt'),
    firstPurchaseAt: date('firstPurchaseAt'),
    orders12m: num('orders12m', true),
    spend12m: num('spend12m', false),
    spendPrev3m: num('spendPrev3m', false),
    spendLast3m: num('spendLast3m', false),
    openComplaints: num('openComplaints', true),
    tags: list('tags'),
  };
  if (problems.length > 0) return { problems };
  // Every rule above mirrors the schema; this is the safety net that keeps the two from drifting apart.
  const parsed = customerSchema.safeParse(candidate);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => ({ column: String(i.path[0] ?? ''), reason: i.message })) };
  }
  return { customer: parsed.data };
}
