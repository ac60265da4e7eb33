import { describe, expect, it } from 'vitest';
import { maskPersonalData, REDACTED, redactPersonalData } from '../../../functions/shared/redact.js';

const stringify = (value: unknown) => JSON.stringify(value, redactPersonalData);

describe('log redaction', () => {
  it.each([
    ['an e-mail address', 'bounce for wang.fang@example.cn', `bounce for ${REDACTED}`],
    ['an E.164 number', 'no route to +8613800138000 today', `no route to ${REDACTED} today`],
    ['a mainland mobile without +86', 'sms to 13800138000 failed', `sms to ${REDACTED} failed`],
    ['a North American number written out', 'call (206) 555-0100', `call ${REDACTED}`],
  ])('masks %s anywhere in a string', (_what, text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    ['an ISO time', '2026-12-16T10:00:00+08:00'],
    ['a customer id', 'C0001'],
    ['a message id', 'local-sms-8065cb5f-2745-4fcf-a94d-3bf94c80db4f'],
    ['a campaign id', 'spring-festival-2027'],
    ['an error name', 'ProviderThrottledError'],
  ])('leaves %s alone', (_what, text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it('replaces whole values under keys that hold personal data, at any depth', () => {
    const logged = stringify({
      step: 'Contact',
      customerId: 'C0001',
      message: { to: '+8613800138000', body: '王芳您好' },
      reply: { text: '快递太慢了', comment: 'late again' },
      Name: '王芳',
    });

    expect(JSON.parse(logged)).toEqual({
      step: 'Contact',
      customerId: 'C0001',
      message: { to: REDACTED, body: REDACTED },
      reply: { text: REDACTED, comment: REDACTED },
      Name: REDACTED,
    });
  });

  it('masks what an error message quotes', () => {
    const error = new Error('customer wang.fang@example.cn at +8613800138000 is invalid');

    expect(stringify({ error: { name: error.name, message: error.message } })).not.toMatch(/wang\.fang|8613800138000/);
  });
});
