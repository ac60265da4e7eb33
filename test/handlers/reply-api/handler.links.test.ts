import 'aws-sdk-client-mock-vitest/extend';
import { createHmac } from 'node:crypto';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StaticLinkKey } from '../../../functions/adapters/clients.js';
import { SfnWorkflowCallback } from '../../../functions/adapters/sfn-workflow-callback.js';
import { type LinkClaims, signLink } from '../../../functions/core/links.js';
import type { TicketRecord } from '../../../functions/core/records.js';
import { buildReplyApiHandler } from '../../../functions/reply-api/handler.js';
import { FixedClock, InMemoryCampaignRepository } from '../../support/fakes/index.js';
import {
  CAMPAIGN_ID,
  customerOf,
  HOUR_MS,
  LINK_KEY,
  lifecycleOf,
  NOW,
  seedCampaign,
  seedSentTouch,
} from '../../support/fixtures.js';
import { type HttpRequest, httpEvent, lambdaContext, silenceLogs } from '../../support/handlers.js';

// Every signed link kind (survey /s/ and POST /replies, unsubscribe /u/, confirmation /c/, ticket /t/) on
// every route that takes it: forged, edited, expired, misused and replayed tokens are refused and change
// no record, resume no lifecycle, and show nothing of the customer.
const sfn = mockClient(SFNClient);
const context = lambdaContext('reply-api');
const NOW_S = Math.floor(Date.parse(NOW) / 1000);
const FORM = 'application/x-www-form-urlencoded';
const REPLY_TEXT = '包裹破损，客服也不回电话';

type Purpose = LinkClaims['p'];
const PURPOSES: Purpose[] = ['survey', 'unsubscribe', 'confirm', 'ticket'];
/** The touch each kind of link names: the survey and its unsubscribe link the first touch, the confirmation the second. */
const TOUCH_OF: Record<Purpose, number> = { survey: 1, unsubscribe: 1, ticket: 1, confirm: 2 };

/** Every route a link is used on, with a request that would record something if the link were good. */
const ROUTES: { purpose: Purpose; request: (token: string) => HttpRequest }[] = [
  { purpose: 'survey', request: (token) => ({ routeKey: 'GET /s/{token}', token, query: { score: '5' } }) },
  {
    purpose: 'survey',
    request: (token) => ({ routeKey: 'POST /s/{token}', token, body: 'score=5&comment=很好', contentType: FORM }),
  },
  {
    purpose: 'survey',
    request: (token) => ({
      routeKey: 'POST /replies',
      body: JSON.stringify({ token, score: 5 }),
      contentType: 'application/json',
    }),
  },
  { purpose: 'unsubscribe', request: (token) => ({ routeKey: 'GET /u/{token}', token }) },
  {
    purpose: 'unsubscribe',
    request: (token) => ({ routeKey: 'POST /u/{token}', token, body: 'List-Unsubscribe=One-Click', contentType: FORM }),
  },
  { purpose: 'confirm', request: (token) => ({ routeKey: 'GET /c/{token}', token }) },
  { purpose: 'confirm', request: (token) => ({ routeKey: 'POST /c/{token}', token, body: 'answer=solved', contentType: FORM }) },
  { purpose: 'ticket', request: (token) => ({ routeKey: 'GET /t/{token}', token }) },
  { purpose: 'ticket', request: (token) => ({ routeKey: 'POST /t/{token}', token, body: 'action=resolve', contentType: FORM }) },
];
const routeCases = ROUTES.map((route) => [route.request('x').routeKey, route] as const);

function claimsOf(purpose: Purpose, overrides: Partial<LinkClaims> = {}): LinkClaims {
  return { p: purpose, c: CAMPAIGN_ID, u: 'C0001', t: TOUCH_OF[purpose], e: NOW_S + 30 * 24 * 3600, ...overrides };
}

/** A payload signed the way signLink signs, for claims signLink's types would not let through. */
function signRaw(payload: unknown, key = LINK_KEY): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${createHmac('sha256', key).update(encoded).digest('base64url')}`;
}

/** Ways to get a link wrong, each made from a good link of `purpose`. */
const TAMPERINGS: [string, (purpose: Purpose) => string][] = [
  [
    'its signature changed in one character',
    (purpose) => {
      const token = signLink(claimsOf(purpose), LINK_KEY);
      const last = token.at(-1) === 'A' ? 'B' : 'A';
      return `${token.slice(0, -1)}${last}`;
    },
  ],
  [
    'its claims edited to another customer, the signature kept',
    (purpose) => {
      const [, signature] = signLink(claimsOf(purpose), LINK_KEY).split('.');
      return `${Buffer.from(JSON.stringify(claimsOf(purpose, { u: 'C0002' }))).toString('base64url')}.${signature}`;
    },
  ],
  [
    'its expiry pushed back, the signature kept',
    (purpose) => {
      const [, signature] = signLink(claimsOf(purpose, { e: NOW_S - 1 }), LINK_KEY).split('.');
      return `${Buffer.from(JSON.stringify(claimsOf(purpose, { e: NOW_S + 3600 }))).toString('base64url')}.${signature}`;
    },
  ],
  ['signed with another key', (purpose) => signLink(claimsOf(purpose), 'a-guessed-key')],
  ['expired a second ago', (purpose) => signLink(claimsOf(purpose, { e: NOW_S - 1 }), LINK_KEY)],
  ['signed without an expiry', (purpose) => signRaw({ p: purpose, c: CAMPAIGN_ID, u: 'C0001', t: TOUCH_OF[purpose] })],
  ['cut short', (purpose) => signLink(claimsOf(purpose), LINK_KEY).split('.')[0] ?? ''],
];

let repo: InMemoryCampaignRepository;
let clock: FixedClock;
let handler: ReturnType<typeof buildReplyApiHandler>;

const call = async (request: HttpRequest): Promise<APIGatewayProxyStructuredResultV2> => handler(httpEvent(request), context);

/** Every record the reply API could change. */
function recordsOf(store: InMemoryCampaignRepository) {
  return structuredClone({
    campaigns: [...store.campaigns],
    customers: [...store.customers].map(([id, customers]) => [id, [...customers]]),
    lifecycles: [...store.lifecycles],
    touches: [...store.touches],
    replies: [...store.replies],
    escalations: [...store.escalations],
    tickets: [...store.tickets],
    suppressions: [...store.suppressions],
  });
}

const ticket: TicketRecord = {
  campaignId: CAMPAIGN_ID,
  customerId: 'C0001',
  touch: 1,
  severity: 'B',
  category: 'service',
  reason: 'negative reply',
  owner: 'li.na@example.com',
  chain: ['li.na@example.com', 'service-head@example.com'],
  level: 0,
  status: 'open',
  createdAt: NOW,
  respondBy: new Date(Date.parse(NOW) + 24 * HOUR_MS).toISOString(),
  acknowledgedAt: null,
  resolvedAt: null,
  closedAt: null,
  breached: false,
  climbs: [],
  confirmation: null,
  reopened: 0,
  replyText: REPLY_TEXT,
  score: null,
  taskToken: 'ticket-token',
};

beforeAll(() => {
  silenceLogs();
});

/**
 * Customer C0001 was e-mailed (touch 1) and waits for the answer; their complaint opened a ticket that
 * waits for the manager; they were asked by e-mail whether it is solved (touch 2), which waits too.
 */
beforeEach(async () => {
  sfn.reset();
  // Like Step Functions: a task token resumes its task once; after that it reads as timed out.
  sfn
    .on(SendTaskSuccessCommand)
    .resolvesOnce({})
    .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
  repo = new InMemoryCampaignRepository();
  clock = new FixedClock(NOW);
  handler = buildReplyApiHandler({
    repo,
    callback: new SfnWorkflowCallback(new SFNClient({ region: 'ap-northeast-1' })),
    clock,
    links: new StaticLinkKey(LINK_KEY),
  });
  await seedCampaign(repo, { customers: [customerOf(), customerOf({ id: 'C0002', name: 'Ethan Brown' })] });
  await repo.createLifecycle(lifecycleOf({ status: 'escalated', escalated: true }));
  for (const touch of [1, 2]) {
    const key = await seedSentTouch(repo, {
      touch,
      channel: 'email',
      template: touch === 1 ? 'email/zh-CN' : 'confirm-email/zh-CN',
      address: 'wang.fang@example.cn',
      messageId: `ses-${touch}`,
      asks: touch === 1 ? 'csat' : 'confirm',
    });
    repo.parkTaskToken(key, `task-token-${touch}`);
  }
  await repo.createTicket(ticket);
});

describe('a tampered, forged or expired link', () => {
  const cases = routeCases.flatMap(([routeKey, route]) =>
    TAMPERINGS.map(([what, tokenOf]) => [routeKey, what, route, tokenOf] as const),
  );

  it.each(cases)('is refused on %s when %s, and changes nothing', async (_routeKey, _what, route, tokenOf) => {
    // Prepare
    const before = recordsOf(repo);

    // Act
    const response = await call(route.request(tokenOf(route.purpose)));

    // Assess
    expect(response.statusCode).toBe(410);
    expect(response.body).toMatch(/此链接无效或已过期|invalid|signature|expired|malformed/);
    expect(recordsOf(repo)).toEqual(before);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(response.body).not.toContain(REPLY_TEXT);
    expect(response.body).not.toContain('王芳');
  });
});

describe('a good link of another kind', () => {
  const cases = routeCases.flatMap(([routeKey, route]) =>
    PURPOSES.filter((purpose) => purpose !== route.purpose).map((purpose) => [routeKey, purpose, route] as const),
  );

  it.each(cases)('is refused on %s when it is a %s link, and changes nothing', async (_routeKey, purpose, route) => {
    // Prepare: correctly signed and valid, naming the same customer and touch as the route's own link would
    const before = recordsOf(repo);
    const token = signLink(claimsOf(purpose, { t: TOUCH_OF[route.purpose] }), LINK_KEY);

    // Act
    const response = await call(route.request(token));

    // Assess
    expect(response.statusCode).toBe(410);
    expect(recordsOf(repo)).toEqual(before);
    expect(sfn).not.toHaveReceivedCommand(SendTaskSuccessCommand);
    expect(response.body).not.toContain(REPLY_TEXT);
  });
});

describe('a link used again', () => {
  /** Uses the link once, an hour later again; returns both answers and the records after each. */
  async function useTwice(first: HttpRequest, second: HttpRequest = first) {
    const firstResponse = await call(first);
    const afterFirst = recordsOf(repo);
    clock.advance(HOUR_MS);
    const secondResponse = await call(second);
    return { firstResponse, afterFirst, secondResponse, afterSecond: recordsOf(repo) };
  }

  it('is refused on POST /s/{token} once the survey is answered, with a 410 page, and changes nothing', async () => {
    // Act
    const token = signLink(claimsOf('survey'), LINK_KEY);
    const used = await useTwice({ routeKey: 'POST /s/{token}', token, body: 'score=2&comment=不满意', contentType: FORM });

    // Assess
    expect(used.firstResponse.statusCode).toBe(200);
    expect(used.secondResponse.statusCode).toBe(410);
    expect(used.secondResponse.body).toContain('此问卷已经回答过了');
    expect(used.afterSecond).toEqual(used.afterFirst);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });

  it('is refused on POST /replies once the survey is answered, with 410, and changes nothing', async () => {
    // Act
    const token = signLink(claimsOf('survey'), LINK_KEY);
    const used = await useTwice(
      { routeKey: 'POST /replies', body: JSON.stringify({ token, score: 4, nps: 8 }), contentType: 'application/json' },
      { routeKey: 'POST /replies', body: JSON.stringify({ token, score: 1, nps: 0 }), contentType: 'application/json' },
    );

    // Assess
    expect(used.firstResponse.statusCode).toBe(200);
    expect(used.secondResponse).toMatchObject({ statusCode: 410, body: expect.stringContaining('already answered') });
    expect(used.afterSecond).toEqual(used.afterFirst);
  });

  it('is refused on GET /s/{token} once the survey is answered, with a 410 page', async () => {
    // Act
    const token = signLink(claimsOf('survey'), LINK_KEY);
    const used = await useTwice(
      { routeKey: 'POST /s/{token}', token, body: 'score=5&comment=很好', contentType: FORM },
      { routeKey: 'GET /s/{token}', token, query: { score: '1' } },
    );

    // Assess
    expect(used.secondResponse.statusCode).toBe(410);
    expect(used.afterSecond).toEqual(used.afterFirst);
  });

  it('is refused on POST /c/{token} once the customer answered, with a 410 page, and changes nothing', async () => {
    // Act
    const token = signLink(claimsOf('confirm'), LINK_KEY);
    const used = await useTwice(
      { routeKey: 'POST /c/{token}', token, body: 'answer=solved', contentType: FORM },
      { routeKey: 'POST /c/{token}', token, body: 'answer=not-solved', contentType: FORM },
    );

    // Assess
    expect(used.firstResponse.statusCode).toBe(200);
    expect(used.secondResponse.statusCode).toBe(410);
    expect(used.secondResponse.body).toContain('此问卷已经回答过了');
    expect(used.afterSecond).toEqual(used.afterFirst);
    expect((await repo.getTouch({ campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 2 }))?.reply?.value).toBe(1);
  });

  it('changes nothing on POST /u/{token}: the first opt-out and its time stay, and the page says the address is unsubscribed', async () => {
    // Act: a mail client's one-click POST, then the customer's click on the link an hour later
    const token = signLink(claimsOf('unsubscribe'), LINK_KEY);
    const used = await useTwice(
      { routeKey: 'POST /u/{token}', token, body: 'List-Unsubscribe=One-Click', contentType: FORM },
      { routeKey: 'GET /u/{token}', token },
    );

    // Assess: answering a repeated one-click unsubscribe with success is what RFC 8058 mail clients expect
    expect(used.firstResponse.statusCode).toBe(200);
    expect(used.secondResponse.statusCode).toBe(200);
    expect(used.secondResponse.body).toContain('您已退订');
    expect(used.afterSecond).toEqual(used.afterFirst);
    expect([...repo.suppressions.values()]).toEqual([{ channel: 'email', source: 'unsubscribe-link', at: NOW }]);
  });

  it.each([
    ['acknowledge', 'acknowledge'],
    ['resolve', 'resolve'],
    ['resolve', 'acknowledge'],
  ])('changes nothing on POST /t/{token} when %s is followed by %s, and says the ticket was handled', async (first, second) => {
    // Act
    const token = signLink(claimsOf('ticket'), LINK_KEY);
    const used = await useTwice(
      { routeKey: 'POST /t/{token}', token, body: `action=${first}`, contentType: FORM },
      { routeKey: 'POST /t/{token}', token, body: `action=${second}`, contentType: FORM },
    );

    // Assess
    expect(used.firstResponse.statusCode).toBe(200);
    expect(used.secondResponse.body).toContain('此工单已处理过，本次操作未改变任何内容');
    expect(used.afterSecond).toEqual(used.afterFirst);
    expect(sfn).toHaveReceivedCommandTimes(SendTaskSuccessCommand, 1);
  });
});
