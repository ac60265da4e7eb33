import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../functions/core/events.js';

const AT = '2026-12-20T10:30:00+08:00';

describe('parseEvent', () => {
  it('takes each event type with its own fields', () => {
    const events = [
      { id: 'e1', customerId: 'C1', type: 'purchase', at: AT, orderId: 'O1', amount: 199.5 },
      { id: 'e2', customerId: 'C1', type: 'delivery', at: AT, orderId: 'O1' },
      { id: 'e3', customerId: 'C1', type: 'complaint', at: AT, text: '快递太慢了' },
      { id: 'e4', customerId: 'C1', type: 'contract-end', at: AT },
    ];

    expect(events.map((e) => parseEvent(e))).toEqual(events.map((event) => ({ ok: true, event })));
  });

  it('refuses a misspelt field rather than reading a purchase of nothing, naming the fields, never the values', () => {
    const result = parseEvent({ id: 'e1', customerId: 'C1', type: 'purchase', at: AT, orderId: 'O1', amonut: 199 });

    expect(result).toEqual({ ok: false, reason: 'amount: required; unknown field amonut' });
  });

  it('names every missing field, an unknown type, a time without an offset and what is not an object', () => {
    expect(parseEvent({ type: 'contract-end' })).toEqual({
      ok: false,
      reason: 'id: required; customerId: required; at: required',
    });
    expect(parseEvent({ id: 'e', customerId: 'C', type: 'refund', at: AT })).toMatchObject({
      ok: false,
      reason: 'type: one of purchase, delivery, complaint, contract-end',
    });
    expect(parseEvent({ id: 'e', customerId: 'C', type: 'contract-end', at: '2026-12-20 10:30' })).toEqual({
      ok: false,
      reason: 'at: an ISO 8601 time with an offset, like 2026-12-20T10:30:00+08:00',
    });
    expect(parseEvent({ id: 'e', customerId: 'C', type: 'purchase', at: AT, orderId: 'O', amount: -1 })).toEqual({
      ok: false,
      reason: 'amount: 0 or more',
    });
    for (const raw of [null, 'purchase', [1], 42])
      expect(parseEvent(raw)).toEqual({ ok: false, reason: 'an event is a JSON object' });
  });

  it('never repeats a value of the event in its reason (events carry personal data)', () => {
    const result = parseEvent({ id: 'e1', customerId: 'C1', type: 'complaint', at: AT, text: 'x'.repeat(5000) });

    expect(result).toEqual({ ok: false, reason: 'text: at most 4,000 characters' });
  });
});
