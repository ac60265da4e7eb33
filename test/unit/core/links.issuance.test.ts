import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidLinkError } from '../../../functions/core/errors.js';
import { type LinkClaims, verifyLink } from '../../../functions/core/links.js';
import { contactCustomer } from '../../../functions/core/use-cases/contact.js';
import { escalate } from '../../../functions/core/use-cases/escalate.js';
import {
  FixedClock,
  FixedLinkKey,
  InMemoryCampaignRepository,
  InMemoryRateLimiter,
  RecordingEmailSender,
  RecordingSmsSender,
} from '../../support/fakes/index.js';
import { CAMPAIGN_ID, LINK_KEY, lifecycleOf, NOW, PUBLIC_BASE_URL, seedCampaign, seedSentTouch } from '../../support/fixtures.js';

// Every link a message carries is signed and expires: the survey and unsubscribe links of a follow-up,
// the confirmation buttons after a fix (30 days), the ticket links of a manager's e-mail (60 days).
const DAY_S = 24 * 3600;
const NOW_S = Math.floor(Date.parse(NOW) / 1000);

let repo: InMemoryCampaignRepository;
let email: RecordingEmailSender;
let sms: RecordingSmsSender;
const clock = new FixedClock(NOW);

/** Every revisit link in a text: its kind (s, u, c, t) and token. */
function linksIn(text: string): { kind: string; token: string }[] {
  return [...text.matchAll(new RegExp(`${PUBLIC_BASE_URL}/([sutc])/([^\\s?"<]+)`, 'g'))].map(([, kind = '', token = '']) => ({
    kind,
    token,
  }));
}

function contactDeps() {
  return {
    repo,
    clock,
    sms,
    email,
    links: new FixedLinkKey(LINK_KEY),
    publicBaseUrl: PUBLIC_BASE_URL,
    limiter: new InMemoryRateLimiter(),
  };
}

/** The claims of every link in `text`, checked: signed with the key, and refused once expired. */
function verifiedClaims(text: string): (LinkClaims & { kind: string })[] {
  const links = linksIn(text);
  expect(links.length).toBeGreaterThan(0);
  return links.map(({ kind, token }) => {
    const claims = verifyLink(token, LINK_KEY, clock.now());
    expect(() => verifyLink(token, 'another-key', clock.now())).toThrow(InvalidLinkError);
    expect(() => verifyLink(token, LINK_KEY, new Date((claims.e + 1) * 1000))).toThrow('link expired');
    return { kind, ...claims };
  });
}

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  email = new RecordingEmailSender();
  sms = new RecordingSmsSender();
  await seedCampaign(repo);
});

describe('the links in every message', () => {
  it('signs the survey and unsubscribe links of a follow-up e-mail, valid for 30 days', async () => {
    // Prepare
    await repo.createLifecycle(lifecycleOf());

    // Act
    await contactCustomer(contactDeps(), { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1, channel: 'email' });

    // Assess
    const sent = email.sent[0];
    const claims = verifiedClaims(`${sent?.text} ${sent?.html} ${sent?.unsubscribeUrl}`);
    expect(new Set(claims.map((c) => `${c.kind} ${c.p}`))).toEqual(new Set(['s survey', 'u unsubscribe']));
    for (const c of claims) expect(c).toMatchObject({ c: CAMPAIGN_ID, u: 'C0001', t: 1, e: NOW_S + 30 * DAY_S });
  });

  it('signs the "solved?" buttons of a confirmation e-mail as confirmation links, valid for 30 days', async () => {
    // Prepare
    await repo.createLifecycle(lifecycleOf({ status: 'escalated', escalated: true }));

    // Act
    await contactCustomer(contactDeps(), {
      campaignId: CAMPAIGN_ID,
      customerId: 'C0001',
      touch: 2,
      channel: 'email',
      purpose: 'confirm',
    });

    // Assess
    const sent = email.sent[0];
    const confirmations = verifiedClaims(`${sent?.text} ${sent?.html}`).filter((c) => c.kind === 'c');
    expect(confirmations.length).toBeGreaterThan(0);
    for (const c of confirmations) expect(c).toMatchObject({ p: 'confirm', t: 2, e: NOW_S + 30 * DAY_S });
  });

  it("signs the acknowledge and resolve links of a manager's ticket e-mail as ticket links, valid for 60 days", async () => {
    // Prepare
    await repo.createLifecycle(lifecycleOf({ status: 'replied', csat: 1 }));
    const key = await seedSentTouch(repo);
    await repo.recordTouchReply(key, { kind: 'text', value: '包裹破损', replyId: 'sms-1' }, NOW);

    // Act
    await escalate(
      { repo, clock, email, links: new FixedLinkKey(LINK_KEY), publicBaseUrl: PUBLIC_BASE_URL },
      {
        ...key,
        severity: 'B',
        reason: 'low CSAT (1/5)',
      },
    );

    // Assess
    const sent = email.sent[0];
    const claims = verifiedClaims(`${sent?.text} ${sent?.html}`);
    expect(claims.length).toBeGreaterThanOrEqual(2);
    for (const c of claims) expect(c).toMatchObject({ kind: 't', p: 'ticket', u: 'C0001', t: 1, e: NOW_S + 60 * DAY_S });
  });
});
