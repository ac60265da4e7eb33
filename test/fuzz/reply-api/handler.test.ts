import { createHmac } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { StaticLinkKey } from '../../../functions/adapters/clients.js';
import { type LinkClaims, signLink } from '../../../functions/core/links.js';
import type { TicketRecord } from '../../../functions/core/records.js';
import type { ExtraQuestionInput } from '../../../functions/core/schemas.js';
import { buildReplyApiHandler, MAX_BODY_BYTES } from '../../../functions/reply-api/handler.js';
import { FixedClock, InMemoryCampaignRepository, RecordingCallback } from '../../support/fakes/index.js';
import {
  CAMPAIGN_ID,
  campaignOf,
  customerOf,
  LINK_KEY,
  lifecycleOf,
  NOW,
  seedCampaign,
  seedSentTouch,
} from '../../support/fixtures.js';
import { type HttpRequest, httpEvent, lambdaContext, silenceLogs } from '../../support/handlers.js';

/*
 * The public HTTP API under generated requests: every route, tokens good, forged, expired, misused and
 * random, bodies as JSON (objects, other values, broken), form posts, base64, oversized, any content
 * type, query and headers. Whatever comes in, the handler answers with an HTTP response, a 4xx with a
 * message for what the client got wrong and never a 5xx; and a valid answer sent after the noise in
 * the same run is recorded as sent.
 */

const SEED = 20_261_219;
const context = lambdaContext('reply-api');
const EXPIRES = Math.floor(Date.parse(NOW) / 1000) + 30 * 24 * 3600;
/** Answers only in the last request of each run: no generated request may use its token. */
const CONTROL = 'C0003';

beforeAll(() => {
  silenceLogs();
});

const questions: ExtraQuestionInput[] = [
  { id: 'delivery', type: 'rating', label: { 'zh-CN': '配送速度' }, required: true },
  { id: 'again', type: 'yes-no', label: { 'en-US': 'Again?' } },
  { id: 'store', type: 'choice', label: { 'zh-CN': '哪里' }, options: [{ 'zh-CN': '门店' }, { 'zh-CN': '网店' }] },
  { id: 'wish', type: 'text', label: { 'en-US': 'A wish' }, maxLength: 50 },
];

const hostileTicket: TicketRecord = {
  campaignId: CAMPAIGN_ID,
  customerId: 'C0002',
  touch: 1,
  severity: 'B',
  category: 'service',
  reason: '"><img src=x onerror=alert(1)>',
  owner: 'li.na@example.com',
  chain: ['li.na@example.com'],
  level: 0,
  status: 'open',
  createdAt: NOW,
  respondBy: NOW,
  acknowledgedAt: null,
  resolvedAt: null,
  closedAt: null,
  breached: false,
  climbs: [],
  confirmation: null,
  reopened: 0,
  replyText: '<script>alert(1)</script>',
  score: null,
  taskToken: 'ticket-token',
};

async function freshHandler() {
  const repo = new InMemoryCampaignRepository();
  const customers = ['C0001', 'C0002', CONTROL].map((id, i) =>
    customerOf({ id, name: `<b>${id}</b>`, email: `c${i}@example.com`, locale: i === 1 ? 'en-US' : 'zh-CN' }),
  );
  await seedCampaign(repo, { customers, campaign: campaignOf({ survey: { questions } }) });
  for (const customer of customers) {
    await repo.createLifecycle(lifecycleOf({ customerId: customer.id, status: 'contacted' }));
    const key = await seedSentTouch(repo, {
      customerId: customer.id,
      channel: 'email',
      template: `email/${customer.locale}`,
      address: customer.email ?? '',
      messageId: `ses-${customer.id}`,
    });
    repo.parkTaskToken(key, `task-token-${customer.id}`);
  }
  // A ticket about C0002, whose words would run as script if its page did not escape them.
  await repo.createTicket(hostileTicket);
  const handler = buildReplyApiHandler({
    repo,
    callback: new RecordingCallback(),
    clock: new FixedClock(NOW),
    links: new StaticLinkKey(LINK_KEY),
  });
  return { repo, handler };
}

const token = (claims: Partial<LinkClaims>, key = LINK_KEY) =>
  signLink({ p: 'survey', c: CAMPAIGN_ID, u: 'C0001', t: 1, e: EXPIRES, ...claims }, key);

/** A payload that is signed with the right key but is no claims object. */
const signedGarbage = (payload: string) => {
  const encoded = Buffer.from(payload).toString('base64url');
  return `${encoded}.${createHmac('sha256', LINK_KEY).update(encoded).digest('base64url')}`;
};

const tokenArbitrary = fc.oneof(
  fc.constantFrom(
    token({}),
    token({ u: 'C0002' }),
    token({ p: 'unsubscribe' }),
    token({ p: 'confirm', t: 2 }),
    token({ p: 'ticket' }),
    token({ p: 'ticket', u: 'C0002' }),
    token({ u: 'nobody', t: 9 }),
    token({}, 'a-guessed-key'),
    token({ e: 1 }),
    signedGarbage('not json'),
    signedGarbage('{"p":"survey","c":1}'),
    '',
    '.',
    '..',
    'a.b.c',
    `${'x'.repeat(5000)}.${'y'.repeat(5000)}`,
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const fieldValue = fc.oneof(
  fc.constantFrom('', '1', '5', '0', '6', '10', '-1', '1.5', '１', ' 5 ', 'yes', 'no', 'maybe', '2', '3'),
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '\u0000', '😀'.repeat(100), '长'.repeat(2001)),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const FIELDS = ['token', 'score', 'nps', 'attitude', 'efficiency', 'result', 'comment', 'answer', 'action'] as const;
const fieldName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELDS, 'q-delivery', 'q-again', 'q-store', 'q-wish') },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'q-nope', '') },
);
const fields = fc.dictionary(fieldName, fieldValue, { maxKeys: 8 });

/** A body as a client may send it, with the content type it claims. */
const bodyArbitrary: fc.Arbitrary<Pick<HttpRequest, 'body' | 'contentType' | 'isBase64Encoded'>> = fc.oneof(
  fields.map((f) => ({ body: new URLSearchParams(f).toString(), contentType: 'application/x-www-form-urlencoded' })),
  fc
    .tuple(fields, fc.jsonValue({ maxDepth: 2 }))
    .map(([f, extra]) => ({ body: JSON.stringify({ ...f, extra }), contentType: 'application/json' })),
  fc.jsonValue({ maxDepth: 2 }).map((value) => ({ body: JSON.stringify(value), contentType: 'Application/JSON; charset=utf-8' })),
  fc.string({ maxLength: 60 }).map((body) => ({ body, contentType: 'application/json' })),
  fields.map((f) => ({
    body: Buffer.from(new URLSearchParams(f).toString()).toString('base64'),
    contentType: 'application/x-www-form-urlencoded',
    isBase64Encoded: true,
  })),
  fc.constantFrom(
    { body: 'score=5&'.repeat(9000), contentType: 'application/x-www-form-urlencoded' },
    { body: JSON.stringify({ comment: 'x'.repeat(MAX_BODY_BYTES) }), contentType: 'application/json' },
    { body: '%E0%A4%A', contentType: 'application/x-www-form-urlencoded' },
    { body: '', contentType: 'multipart/form-data; boundary=x' },
    {
      body: '--x\r\nContent-Disposition: form-data; name="score"\r\n\r\n5\r\n--x--',
      contentType: 'multipart/form-data; boundary=x',
    },
    { body: '!!!not base64', isBase64Encoded: true },
  ),
  fc.record({ body: fc.string({ maxLength: 40 }), contentType: fc.string({ maxLength: 20 }) }),
);

const ROUTES = [
  'POST /replies',
  'GET /s/{token}',
  'POST /s/{token}',
  'GET /c/{token}',
  'POST /c/{token}',
  'GET /t/{token}',
  'POST /t/{token}',
  'GET /u/{token}',
  'POST /u/{token}',
  'GET /replies',
  'DELETE /s/{token}',
  'GET /',
];

const requestArbitrary: fc.Arbitrary<HttpRequest & { headers?: Record<string, string> }> = fc
  .record({
    routeKey: fc.constantFrom(...ROUTES),
    token: tokenArbitrary,
    body: bodyArbitrary,
    query: fc.dictionary(fc.constantFrom('score', 'do', 'x', ''), fieldValue, { maxKeys: 2 }),
    headers: fc.dictionary(fc.constantFrom('accept', 'cookie', 'x-forwarded-for', 'user-agent'), fc.string({ maxLength: 30 }), {
      maxKeys: 2,
    }),
  })
  .map(({ routeKey, token: t, body, query, headers }) => ({ routeKey, token: t, ...body, query, headers }));

async function call(
  handler: Awaited<ReturnType<typeof freshHandler>>['handler'],
  request: HttpRequest & { headers?: Record<string, string> },
): Promise<APIGatewayProxyStructuredResultV2> {
  const event = httpEvent(request);
  event.headers = { ...request.headers, ...event.headers };
  return handler(event, context);
}

/** A 4xx says what is wrong: a JSON error message, or a page with a heading or an alert. */
function expectClearRefusal(response: APIGatewayProxyStructuredResultV2): void {
  const body = response.body ?? '';
  if (String(response.headers?.['content-type']).startsWith('application/json')) {
    const { error } = JSON.parse(body) as { error?: unknown };
    expect(typeof error === 'string' && error.length > 0, body).toBe(true);
  } else {
    expect(body).toMatch(/<h1>[^<]+<\/h1>|role="alert">[^<]+</);
  }
}

describe('reply API on generated requests', () => {
  it('answers every request with a 2xx or a 4xx that says why, and still records a valid answer sent after them', {
    timeout: 60_000,
  }, async () => {
    let refusals = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(requestArbitrary, { minLength: 1, maxLength: 5 }), async (requests) => {
        // Prepare
        const { repo, handler } = await freshHandler();

        // Act
        const responses = [];
        for (const request of requests) responses.push(await call(handler, request));
        const control = await call(handler, {
          routeKey: 'POST /replies',
          body: JSON.stringify({
            token: token({ u: CONTROL }),
            score: 2,
            nps: 3,
            comment: '<script>alert(1)</script>',
            'q-delivery': 1,
          }),
          contentType: 'application/json',
        });

        // Assess: no request made the handler fail, and each refusal says why
        for (const response of responses) {
          expect(response.statusCode).toBeGreaterThanOrEqual(200);
          expect(response.statusCode).toBeLessThan(500);
          if ((response.statusCode ?? 0) >= 400) {
            refusals++;
            expectClearRefusal(response);
          }
          // What a request carried never comes back as markup.
          expect(response.body ?? '').not.toMatch(/<script>|<img src=x/);
        }
        // The valid answer after them is recorded exactly as sent
        expect(control.statusCode).toBe(200);
        expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: CONTROL, touch: 1 }))?.reply).toMatchObject({
          kind: 'survey',
          value: 2,
          nps: 3,
          comment: '<script>alert(1)</script>',
          answers: { delivery: 1 },
        });
      }),
      { seed: SEED, numRuns: 250 },
    );

    expect(refusals).toBeGreaterThan(300);
  });

  it.each([
    ['null', 'null'],
    ['a number', '5'],
    ['a list', '[{"score":5}]'],
    ['a string', '"score=5"'],
  ])('refuses a JSON body that is %s with 400 on every route that reads a body', async (_, body) => {
    const { repo, handler } = await freshHandler();

    const routes: [string, string][] = [
      ['POST /replies', ''],
      ['POST /s/{token}', token({})],
      ['POST /c/{token}', token({ p: 'confirm', t: 2 })],
      ['POST /t/{token}', token({ p: 'ticket', u: 'C0002' })],
    ];
    for (const [routeKey, link] of routes) {
      const response = await call(handler, { routeKey, token: link, body, contentType: 'application/json' });

      expect(response.statusCode, routeKey).toBe(400);
      expect(JSON.parse(response.body ?? '')).toEqual({
        error: 'the JSON body must be an object of fields, like {"token": "...", "score": 5}',
      });
    }
    expect(repo.replies.size).toBe(0);
  });

  it.each([
    ['true', true],
    ['a list', [5]],
    ['hexadecimal', '0x5'],
    ['an exponent', '1e0'],
  ])('refuses a score written as %s instead of reading a number into it', async (_, score) => {
    const { repo, handler } = await freshHandler();

    const response = await call(handler, {
      routeKey: 'POST /replies',
      body: JSON.stringify({ token: token({}), score, 'q-delivery': 3 }),
      contentType: 'application/json',
    });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toEqual({ error: expect.stringMatching(/^score: /) });
    expect(repo.replies.size).toBe(0);
  });

  it('reads a JSON body whose content type is written in capitals', async () => {
    const { handler } = await freshHandler();

    const response = await call(handler, {
      routeKey: 'POST /replies',
      body: JSON.stringify({ token: token({}), score: 5, 'q-delivery': 4 }),
      contentType: 'Application/JSON',
    });

    expect(response.statusCode).toBe(200);
  });

  it('refuses a body over 64 KB with 413, naming the limit', async () => {
    const { repo, handler } = await freshHandler();

    const response = await call(handler, {
      routeKey: 'POST /s/{token}',
      token: token({}),
      body: `score=5&comment=${'x'.repeat(MAX_BODY_BYTES)}`,
      contentType: 'application/x-www-form-urlencoded',
    });

    expect(response).toMatchObject({ statusCode: 413, body: JSON.stringify({ error: 'request body too large: at most 64 KB' }) });
    expect(repo.replies.size).toBe(0);
  });
});
