import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyReply } from '../../../functions/core/replies.js';
import { buildInboundSmsHandler, MAX_SMS_CHARACTERS } from '../../../functions/inbound-sms/handler.js';
import { FixedClock, InMemoryCampaignRepository, RecordingCallback } from '../../support/fakes/index.js';
import { lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../support/fixtures.js';
import { lambdaContext, silenceLogs, snsEvent, snsRecord } from '../../support/handlers.js';

/*
 * SNS deliveries of inbound SMS, generated: bodies of any text (emoji, full-width digits, control
 * characters, RTL marks, combining marks, empty, over the limit) mixed in one batch with records that
 * are not what a two-way number publishes (not JSON, the wrong shape, no SNS part, a broken timestamp).
 * The handler never throws, refuses each bad record with a reason, and records every good one in the
 * same batch, read as classifyReply reads it.
 */

const SEED = 20_261_217;
const PHONE = '+8613800138000';
const context = lambdaContext('inbound-sms');

beforeAll(() => {
  silenceLogs();
});

/** Characters SMS bodies carry, and some that only break things. */
const smsUnit = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('1', '5', '９', '１', '０', ' ', ',', '，', '。', '!', '分', '-', 'T', 'D', '退', '订'),
  },
  { weight: 2, arbitrary: fc.constantFrom('物', '流', '太', '慢', 'g', 'o', 'd', 'S', 'O', 'P', '<', '>', '&', '"', "'") },
  { weight: 1, arbitrary: fc.constantFrom('😀', '👨‍👩‍👧', '🇨🇳', '\u0301', '\u202E', '\u200F', '\u200B', '\uFEFF', '\u2028') },
  { weight: 1, arbitrary: fc.constantFrom('\0', '\u0007', '\u001b', '\r', '\n', '\t', '\u0085') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
);

const smsBody = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: smsUnit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t', '５', '１０', 'TD', '退订。', 'stop!', '2，物流太慢了', '4 - great') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(MAX_SMS_CHARACTERS - 1, MAX_SMS_CHARACTERS, MAX_SMS_CHARACTERS + 1, 12_000),
        fc.constantFrom('a', ' ', '长', '😀'),
      )
      // Characters are code points (as zod counts them): an emoji is one, though two UTF-16 units.
      .map(([length, unit]) =>
        Array.from(`1,${unit.repeat(length)}`)
          .slice(0, length)
          .join(''),
      ),
  },
);

type Expected = { recorded: true; replyId: string; body: string } | { recorded: false; reason: RegExp };

interface GeneratedRecord {
  record: SNSEventRecord;
  expected: Expected;
}

/** A counterexample is printed as the message each record carries, cut short, not as the whole SNS envelope. */
function described(generated: GeneratedRecord): GeneratedRecord {
  const message = generated.record?.Sns?.Message;
  const text = typeof message === 'string' ? message : JSON.stringify(generated.record ?? null);
  const shown = `${JSON.stringify(text.slice(0, 120))}${text.length > 120 ? `… (${text.length})` : ''}`;
  return Object.assign(generated, {
    [fc.toStringMethod]: () => `${generated.expected.recorded ? 'good' : 'bad'} ${shown}`,
  });
}

const timestamp = fc.constantFrom(
  '2026-12-16T04:00:00.000Z',
  'not a time',
  '',
  '2026-02-30T25:61:00Z',
  '+275760-09-13T00:00:00.001Z',
);

/** A record as a two-way number publishes it, with any body and any SNS timestamp. */
const goodRecord = (index: number) =>
  fc.record({ body: smsBody, timestamp, named: fc.boolean() }).map(({ body, timestamp: at, named }): GeneratedRecord => {
    const inboundMessageId = `inbound-${index}`;
    const message = JSON.stringify({
      originationNumber: PHONE,
      destinationNumber: '+12065550100',
      messageBody: body,
      inboundMessageId,
      ...(named ? { previousPublishedMessageId: 'sns-message-1' } : {}),
    });
    const expected: Expected =
      Array.from(body).length > MAX_SMS_CHARACTERS
        ? { recorded: false, reason: /^messageBody: longer than 5000 characters: no SMS is that long$/ }
        : body.trim() === ''
          ? { recorded: false, reason: /^messageBody: the SMS is empty$/ }
          : { recorded: true, replyId: `sms-${inboundMessageId}`, body };
    return described({ record: snsRecord(`sns-${index}`, message, at), expected });
  });

/** Records that are no inbound SMS: each must be refused with a reason. */
const badRecord = (index: number): fc.Arbitrary<GeneratedRecord> => {
  const refused = (record: SNSEventRecord, reason: RegExp): GeneratedRecord =>
    described({
      record,
      expected: { recorded: false, reason },
    });
  const withMessage = (message: string) => snsRecord(`sns-${index}`, message);
  return fc.oneof(
    fc
      .string({ maxLength: 30 })
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      })
      .map((text) => refused(withMessage(text), /^message is not JSON$/)),
    fc.jsonValue({ maxDepth: 2 }).map((value) => refused(withMessage(JSON.stringify(value)), /:/)),
    fc
      .constantFrom<[Record<string, unknown>, RegExp]>(
        [{ originationNumber: '', messageBody: '5', inboundMessageId: 'x' }, /^originationNumber: /],
        [{ originationNumber: '1'.repeat(40), messageBody: '5', inboundMessageId: 'x' }, /^originationNumber: longer than 32/],
        [{ originationNumber: 8613800138000, messageBody: '5', inboundMessageId: 'x' }, /^originationNumber: /],
        [{ originationNumber: PHONE, messageBody: null, inboundMessageId: 'x' }, /^messageBody: /],
        [{ originationNumber: PHONE, messageBody: '5' }, /^inboundMessageId: /],
        [{ originationNumber: PHONE, messageBody: '5', inboundMessageId: 'x'.repeat(300) }, /^inboundMessageId: /],
        [{ originationNumber: PHONE, messageBody: ['5'], inboundMessageId: 'x' }, /^messageBody: /],
      )
      .map(([message, reason]) => refused(withMessage(JSON.stringify(message)), reason)),
    fc.constantFrom(
      refused({ ...withMessage('{}'), Sns: undefined } as unknown as SNSEventRecord, /^the record has no SNS message$/),
      refused(null as unknown as SNSEventRecord, /^the record has no SNS message$/),
      refused(
        { ...withMessage(''), Sns: { ...withMessage('').Sns, Message: 42 } } as unknown as SNSEventRecord,
        /^message is not JSON$/,
      ),
      refused(
        { ...withMessage('{"x":1}'), Sns: { ...withMessage('').Sns, MessageId: undefined } } as unknown as SNSEventRecord,
        /^message is not JSON$/,
      ),
    ),
  );
};

const batchArbitrary = fc
  .array(fc.boolean(), { minLength: 1, maxLength: 6 })
  .chain((kinds) => fc.tuple(...kinds.map((good, i) => (good ? goodRecord(i) : badRecord(i)))));

async function freshHandler() {
  const repo = new InMemoryCampaignRepository();
  const callback = new RecordingCallback();
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ status: 'contacted' }));
  const key = await seedSentTouch(repo);
  repo.parkTaskToken(key, 'task-token-1');
  return { repo, handler: buildInboundSmsHandler({ repo, callback, clock: new FixedClock(NOW) }) };
}

describe('inbound SMS handler on generated deliveries', () => {
  it('never throws, refuses each bad record with its reason and records every good one in the same batch', {
    timeout: 60_000,
  }, async () => {
    let recorded = 0;
    let refused = 0;

    await fc.assert(
      fc.asyncProperty(batchArbitrary, async (batch) => {
        // Prepare
        const { repo, handler } = await freshHandler();
        const event = snsEvent(...batch.map((b) => b.record));

        // Act
        const summary = await handler(event, context);

        // Assess: every good record is stored, read as classifyReply reads it, at a valid time
        const good = batch.flatMap((b) => (b.expected.recorded ? [b.expected] : []));
        expect(summary.recorded).toBe(good.length);
        const stored = [...repo.replies.values()];
        for (const { replyId, body } of good) {
          const reply = stored.find((r) => r.replyId === replyId);
          const meaning = classifyReply(body);
          expect(reply, replyId).toMatchObject({ kind: meaning.kind, value: meaning.value, channel: 'sms' });
          expect(new Date(reply?.receivedAt ?? '').toISOString()).toBe(reply?.receivedAt);
        }
        expect(stored).toHaveLength(good.length);
        // ...and every bad one is refused, in order, with its reason, and the reason shows no number
        const bad = batch.flatMap((b) => (b.expected.recorded ? [] : [b.expected.reason]));
        expect(summary.rejected).toHaveLength(bad.length);
        summary.rejected.forEach((rejection, i) => {
          expect(rejection.reason).toMatch(bad[i] ?? /^$/);
          expect(rejection.snsMessageId.length).toBeGreaterThan(0);
          expect(rejection.reason).not.toContain('13800138000');
        });
        recorded += good.length;
        refused += bad.length;
      }),
      { seed: SEED, numRuns: 200 },
    );

    expect(recorded).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });

  it.each([
    ['no Records at all', {}],
    ['an empty list of Records', { Records: [] }],
  ])('answers an event with %s with an empty summary', async (_, event) => {
    const { handler } = await freshHandler();

    expect(await handler(event as SNSEvent, context)).toEqual({ recorded: 0, rejected: [] });
  });

  it('refuses an event whose Records is not a list, with a reason', async () => {
    const { handler } = await freshHandler();

    const summary = await handler({ Records: { 0: 'x' } } as unknown as SNSEvent, context);

    expect(summary).toEqual({ recorded: 0, rejected: [{ snsMessageId: 'unknown', reason: 'the event has no list of Records' }] });
  });

  it('records a reply whose SNS timestamp is not a time at the time it arrives', async () => {
    // Prepare
    const { repo, handler } = await freshHandler();
    const message = JSON.stringify({ originationNumber: PHONE, messageBody: '4', inboundMessageId: 'inbound-1' });

    // Act
    const summary = await handler(snsEvent(snsRecord('sns-1', message, 'yesterday, about noon')), context);

    // Assess
    expect(summary).toEqual({ recorded: 1, rejected: [] });
    expect([...repo.replies.values()]).toEqual([expect.objectContaining({ kind: 'score', value: 4, receivedAt: NOW })]);
  });
});
