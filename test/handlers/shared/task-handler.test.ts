import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildContactHandler } from '../../../functions/contact/handler.js';
import { buildEscalateHandler } from '../../../functions/escalate/handler.js';
import { buildEvaluateHandler } from '../../../functions/evaluate/handler.js';
import { buildPlanHandler } from '../../../functions/plan/handler.js';
import { buildStartLifecyclesHandler } from '../../../functions/start-lifecycles/handler.js';
import {
  FixedClock,
  FixedLinkKey,
  InMemoryCampaignRepository,
  InMemoryRateLimiter,
  RecordingEmailSender,
  RecordingSmsSender,
  RecordingStarter,
} from '../../support/fakes/index.js';
import { CAMPAIGN_ID, LINK_KEY, lifecycleOf, NOW, PUBLIC_BASE_URL, seedCampaign, seedSentTouch } from '../../support/fixtures.js';
import { lambdaContext, silenceLogs } from '../../support/handlers.js';

/** A value that looks like personal data: it must never come back in an error message. */
const PHONE = '+8613800138000';
const PHONE_DIGITS = 8613800138000;

let repo: InMemoryCampaignRepository;
let clock: FixedClock;
let sms: RecordingSmsSender;
let email: RecordingEmailSender;
let starter: RecordingStarter;

function handlers() {
  const links = new FixedLinkKey(LINK_KEY);
  return {
    Plan: buildPlanHandler({ repo, clock }),
    Contact: buildContactHandler({
      repo,
      clock,
      sms,
      email,
      links,
      publicBaseUrl: PUBLIC_BASE_URL,
      limiter: new InMemoryRateLimiter(),
    }),
    Evaluate: buildEvaluateHandler({ repo, clock }),
    Escalate: buildEscalateHandler({ repo, clock, email, links, publicBaseUrl: PUBLIC_BASE_URL }),
    StartLifecycles: buildStartLifecyclesHandler({ repo, starter }),
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-error: ${String(error)}`);
  }
  throw new Error('expected the handler to reject');
}

beforeAll(() => {
  silenceLogs();
});

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  clock = new FixedClock(NOW);
  sms = new RecordingSmsSender();
  email = new RecordingEmailSender();
  starter = new RecordingStarter();
  await seedCampaign(repo);
});

describe('task handlers refuse invalid task input', () => {
  const base = { campaignId: CAMPAIGN_ID, customerId: 'C0001' };

  it.each([
    ['Plan', 'a customer id that is a number', 'customerId', { campaignId: CAMPAIGN_ID, customerId: PHONE_DIGITS }],
    ['Plan', 'a re-contact after touch 0', 'afterTouch', { ...base, afterTouch: 0 }],
    ['Plan', 'a reschedule of a touch that is not a number', 'rescheduleTouch', { ...base, rescheduleTouch: PHONE }],
    ['Contact', 'an unknown channel', 'channel', { ...base, touch: 1, channel: `fax:${PHONE}` }],
    ['Contact', 'a touch that is not a number', 'touch', { ...base, touch: PHONE, channel: 'sms' }],
    ['Evaluate', 'a noResponse flag that is not a boolean', 'noResponse', { ...base, touch: 1, noResponse: PHONE }],
    ['Escalate', 'an empty customer id', 'customerId', { ...base, customerId: '', touch: 1 }],
    ['Escalate', 'a touch that is not a whole number', 'touch', { ...base, touch: PHONE_DIGITS + 0.5 }],
    ['StartLifecycles', 'a cursor that is a number', 'cursor', { campaignId: CAMPAIGN_ID, cursor: PHONE_DIGITS }],
    ['StartLifecycles', 'a missing campaign id', 'campaignId', { cursor: null }],
  ] as const)('%s rejects %s with an InvalidInputError naming %s, not its value', async (name, _what, field, input) => {
    // Prepare
    const handler = handlers()[name];

    // Act
    const error = await rejectionOf(handler(input, lambdaContext(name)));

    // Assess
    expect(error.name).toBe('InvalidInputError');
    expect(error.message).toContain(field);
    expect(error.message).not.toContain('13800138000');
    expect(error.message).not.toContain('fax');
  });

  it('sends nothing and stores nothing for invalid input', async () => {
    await rejectionOf(handlers().Contact({ ...base, touch: 0, channel: 'sms' }, lambdaContext('Contact')));

    expect(sms.sent).toEqual([]);
    expect(repo.touches.size).toBe(0);
  });
});

describe('task handlers run their use case', () => {
  const base = { campaignId: CAMPAIGN_ID, customerId: 'C0001' };

  it('Plan plans the first touch and, after an unanswered one, the re-contact', async () => {
    // Prepare
    const { Plan } = handlers();

    // Act
    const first = await Plan(base, lambdaContext('Plan'));
    await seedSentTouch(repo);
    const recontact = await Plan({ ...base, afterTouch: 1 }, lambdaContext('Plan'));

    // Assess
    expect(first).toMatchObject({ skip: null, tier: 'silver', next: { touch: 1, channel: 'sms' } });
    expect(recontact).toMatchObject({ touch: 2, channel: 'email', last: true });
  });

  it('Contact sends the touch and returns the key AwaitResponse parks the token on', async () => {
    await repo.createLifecycle(lifecycleOf());

    const result = await handlers().Contact({ ...base, touch: 1, channel: 'sms' }, lambdaContext('Contact'));

    expect(result).toEqual({
      key: { pk: `CAMPAIGN#${CAMPAIGN_ID}`, sk: 'TOUCH#C0001#1' },
      touch: 1,
      channel: 'sms',
      status: 'sent',
      replyTimeoutSeconds: 48 * 3600,
    });
    expect(sms.sent).toHaveLength(1);
  });

  it.each([
    ['OutsideContactWindowError', async () => clock.set('2026-12-16T13:00:00Z')],
    ['RecipientSuppressedError', async () => repo.suppress('sms', PHONE, 'reply:sms', NOW)],
    ['NotFoundError', async () => repo.lifecycles.clear()],
  ])('Contact rejects with an error named %s, as the state machine matches it', async (name, prepare) => {
    // Prepare
    await repo.createLifecycle(lifecycleOf());
    await prepare();

    // Act
    const error = await rejectionOf(handlers().Contact({ ...base, touch: 1, channel: 'sms' }, lambdaContext('Contact')));

    // Assess
    expect(error.name).toBe(name);
  });

  it('Evaluate records no response', async () => {
    await repo.createLifecycle(lifecycleOf());
    await seedSentTouch(repo);

    const result = await handlers().Evaluate({ ...base, touch: 1, noResponse: true }, lambdaContext('Evaluate'));

    expect(result).toEqual({
      outcome: 'no-response',
      csat: null,
      escalate: false,
      reason: 'no response to 1 touch',
      severity: null,
      category: null,
      followUp: null,
    });
  });

  it('Escalate opens a ticket and e-mails the account manager', async () => {
    await repo.createLifecycle(lifecycleOf({ csat: 1 }));
    await seedSentTouch(repo);

    const result = await handlers().Escalate(
      { ...base, touch: 1, severity: 'B', reason: 'low CSAT (1/5)' },
      lambdaContext('Escalate'),
    );

    expect(result).toMatchObject({ owner: 'li.na@example.com', mail: 'sent', ticket: { status: 'open', exhausted: false } });
    expect(email.sent.map((m) => m.to)).toEqual(['li.na@example.com']);
  });

  it('StartLifecycles starts the first page and returns the cursor, the day and the next day', async () => {
    const result = await handlers().StartLifecycles({ campaignId: CAMPAIGN_ID, cursor: null }, lambdaContext('StartLifecycles'));

    expect(result).toEqual({
      started: 1,
      alreadyStarted: 0,
      nextCursor: null,
      // No first touch booked: started on the first launch day; the next is the day before the window opens.
      day: '0000-00-00',
      nextDay: '2026-12-15',
      nextDayAt: '2026-12-14T23:00:00.000Z',
    });
    expect(starter.started).toEqual([`${CAMPAIGN_ID}/C0001`]);
  });
});
