/**
 * The logs' last line of defence (house rule: never log a phone number, an e-mail address or what a
 * customer wrote): the logger passes every value through `redactPersonalData` before it is written.
 * Values under keys that hold personal data are replaced whole; in every other string, anything shaped
 * like an e-mail address or a phone number is masked.
 */

/** Keys whose values are personal data wherever they appear in a log entry. */
const PERSONAL_KEYS = new Set(
  [
    'to',
    'from',
    'phone',
    'email',
    'address',
    'name',
    'body',
    'text',
    'html',
    'subject',
    'comment',
    'replyText',
    'messageBody',
    'originationNumber',
    'destinationNumber',
    'accountManager',
    'owner',
  ].map((key) => key.toLowerCase()),
);

export const REDACTED = '[redacted]';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** E.164 (+8613800138000), a mainland mobile (13800138000), a North American number written out ((206) 555-0100). */
const PHONES = [/\+[1-9]\d{6,14}(?!\d)/g, /(?<!\d)1[3-9]\d{9}(?!\d)/g, /(?<!\d)\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)/g];

/** A string with every e-mail address and phone number in it masked. */
export function maskPersonalData(text: string): string {
  let masked = text.replace(EMAIL, REDACTED);
  for (const phone of PHONES) masked = masked.replace(phone, REDACTED);
  return masked;
}

/** JSON replacer for log entries (Powertools Logger's `jsonReplacerFn`). */
export function redactPersonalData(key: string, value: unknown): unknown {
  if (key !== '' && PERSONAL_KEYS.has(key.toLowerCase()) && value !== null && value !== undefined) return REDACTED;
  return typeof value === 'string' ? maskPersonalData(value) : value;
}
