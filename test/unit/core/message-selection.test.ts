import { describe, expect, it } from 'vitest';
import type { CampaignInput } from '../../../functions/core/schemas.js';
import {
  chooseTemplate,
  DEFAULT_TEMPLATES,
  messageCandidates,
  OFFER_CODE_UNAVAILABLE,
  offerFor,
  offerVariables,
  renderChosen,
  type TouchContext,
  templateProblems,
  usesOfferCode,
} from '../../../functions/core/templates.js';
import { campaignOf } from '../../support/fixtures.js';

const sms = (text: string) => ({
  'zh-CN': `【{{brand}}】${text}回复TD退订`,
  'en-US': `{{brand}}: ${text} Reply STOP to opt out`,
});
const email = (text: string) => {
  const part = {
    subject: `{{brand}} ${text}`,
    text: `${text} {{{surveyUrl}}} {{{unsubscribeUrl}}}`,
    html: `<p>${text}</p><a href="{{surveyUrl}}">s</a><a href="{{unsubscribeUrl}}">u</a>`,
  };
  return { 'zh-CN': part, 'en-US': part };
};

const touch = (overrides: Partial<TouchContext> = {}): TouchContext => ({
  tier: 'gold',
  segment: 'active',
  trigger: null,
  message: null,
  ...overrides,
});

/** Messages at every level: the tier, the tier and segment, the tier and trigger, all three. */
const levels: Partial<CampaignInput> = {
  messages: {
    'gold-any': { sms: sms('gold') },
    'gold-lost': { sms: sms('gold lost') },
    'gold-purchase': { sms: sms('gold purchase') },
    'gold-lost-purchase': { sms: { 'zh-CN': '【{{brand}}】三者回复TD退订' } },
    'lost-any': { sms: sms('lost'), email: email('lost') },
    thanks: { sms: sms('thanks') },
  },
  messageRules: [
    { tier: 'gold', message: 'gold-any' },
    { tier: 'gold', segment: 'lost', message: 'gold-lost' },
    { tier: 'gold', trigger: 'purchase', message: 'gold-purchase' },
    { tier: 'gold', segment: 'lost', trigger: 'purchase+3d', message: 'gold-lost-purchase' },
    { segment: 'lost', message: 'lost-any' },
  ],
};

describe('chooseTemplate', () => {
  it('gives a campaign without rules its templates, labelled as before', () => {
    // Act
    const chosen = chooseTemplate(campaignOf(), 'survey', 'sms', 'zh-CN', touch());

    // Assess
    expect(chosen).toEqual({ label: 'sms/zh-CN', message: null, channel: 'sms', sms: DEFAULT_TEMPLATES.sms['zh-CN'] });
  });

  it.each([
    [touch(), 'gold-any'],
    [touch({ segment: 'lost' }), 'gold-lost'],
    [touch({ trigger: 'purchase+7d' }), 'gold-purchase'],
    [touch({ segment: 'lost', trigger: 'purchase+3d' }), 'gold-lost-purchase'],
    [touch({ tier: 'basic', segment: 'lost' }), 'lost-any'],
  ])('picks the most specific rule that matches %o: %s', (context, expected) => {
    // Act
    const chosen = chooseTemplate(campaignOf(levels), 'survey', 'sms', 'zh-CN', context);

    // Assess
    expect(chosen.message).toBe(expected);
    expect(chosen.label).toBe(`${expected}:sms/zh-CN`);
  });

  it('breaks a tie between rules of as many fields by their order in the file', () => {
    // Prepare
    const campaign = campaignOf({
      ...levels,
      messageRules: [{ segment: 'lost', message: 'lost-any' }, ...(levels.messageRules ?? [])],
    });

    // Act
    const names = messageCandidates(campaign, touch({ segment: 'lost' }));

    // Assess
    expect(names).toEqual(['gold-lost', 'lost-any', 'gold-any']);
  });

  it('falls back a level for a locale the message leaves out, never to an empty message', () => {
    // Act
    const zh = chooseTemplate(campaignOf(levels), 'survey', 'sms', 'zh-CN', touch({ segment: 'lost', trigger: 'purchase+3d' }));
    const en = chooseTemplate(campaignOf(levels), 'survey', 'sms', 'en-US', touch({ segment: 'lost', trigger: 'purchase+3d' }));

    // Assess
    expect(zh.message).toBe('gold-lost-purchase');
    expect(en.message).toBe('gold-lost');
  });

  it('falls back to the campaign templates for a channel no matching message has', () => {
    // Act
    const chosen = chooseTemplate(campaignOf(levels), 'survey', 'email', 'en-US', touch());
    const lost = chooseTemplate(campaignOf(levels), 'survey', 'email', 'en-US', touch({ segment: 'lost' }));

    // Assess
    expect(chosen).toMatchObject({ label: 'email/en-US', message: null, email: DEFAULT_TEMPLATES.email['en-US'] });
    expect(lost).toMatchObject({ label: 'lost-any:email/en-US', message: 'lost-any' });
  });

  it("puts a program touch's own message before every rule, and reads `default` as none", () => {
    // Act
    const own = chooseTemplate(campaignOf(levels), 'survey', 'sms', 'en-US', touch({ message: 'thanks', segment: 'lost' }));
    const byDefault = chooseTemplate(campaignOf(levels), 'survey', 'sms', 'en-US', touch({ message: 'default' }));

    // Assess
    expect(own.label).toBe('thanks:sms/en-US');
    expect(byDefault.label).toBe('gold-any:sms/en-US');
  });

  it('keeps the care greeting and the confirmation the campaign’s own', () => {
    // Act
    const care = chooseTemplate(campaignOf(levels), 'care', 'sms', 'zh-CN', touch());
    const confirm = chooseTemplate(campaignOf(levels), 'confirm', 'email', 'zh-CN', touch());

    // Assess
    expect(care).toMatchObject({ label: 'care-sms/zh-CN', sms: DEFAULT_TEMPLATES.care['zh-CN'] });
    expect(confirm).toMatchObject({ label: 'confirm-email/zh-CN', email: DEFAULT_TEMPLATES.confirmEmail['zh-CN'] });
  });
});

describe('offers', () => {
  const offers: Partial<CampaignInput> = {
    offers: {
      tiers: {
        diamond: { title: { 'zh-CN': '钻石专享券', 'en-US': 'Diamond coupon' }, expires: '2027-03-31', codes: 'diamond-2027' },
      },
      segments: { lost: { title: 'Welcome back 20% off' } },
    },
  };

  it("gives a segment's offer before the tier's", () => {
    // Act / Assess
    expect(offerFor(campaignOf(offers), 'diamond', 'active')?.codes).toBe('diamond-2027');
    expect(offerFor(campaignOf(offers), 'diamond', 'lost')?.title).toBe('Welcome back 20% off');
    expect(offerFor(campaignOf(offers), 'gold', 'active')).toBeNull();
  });

  it('renders the title, the last day in the locale and the code, or says there is no code left', () => {
    // Prepare
    const offer = offerFor(campaignOf(offers), 'diamond', 'active');

    // Act
    const zh = offerVariables(offer, 'zh-CN', 'D-0001');
    const en = offerVariables(offer, 'en-US', null);

    // Assess
    expect(zh).toEqual({ title: '钻石专享券', expires: '2027年3月31日', code: 'D-0001' });
    expect(en).toEqual({ title: 'Diamond coupon', expires: 'March 31, 2027', code: OFFER_CODE_UNAVAILABLE['en-US'] });
    expect(offerVariables(null, 'zh-CN', null)).toEqual({ title: '', expires: '', code: '' });
  });

  it('renders {{offer.*}} in a message and tells a message that shows a code from one that does not', () => {
    // Prepare
    const campaign = campaignOf({
      messages: { coupon: { sms: sms('{{offer.title}} {{offer.code}} {{offer.expires}}') }, plain: { sms: sms('hi') } },
      messageRules: [{ tier: 'diamond', message: 'coupon' }, { message: 'plain' }],
    });
    const chosen = chooseTemplate(campaign, 'survey', 'sms', 'zh-CN', touch({ tier: 'diamond' }));
    const plain = chooseTemplate(campaign, 'survey', 'sms', 'zh-CN', touch());

    // Act
    const rendered = renderChosen(chosen, { brand: 'B', offer: { title: '券', code: 'X1', expires: '2027年3月31日' } });

    // Assess
    expect((rendered as { body: string }).body).toBe('【B】券 X1 2027年3月31日回复TD退订');
    expect(usesOfferCode(chosen)).toBe(true);
    expect(usesOfferCode(plain)).toBe(false);
  });
});

describe('templateProblems of messages and rules', () => {
  it('refuses a rule naming a message that does not exist, and checks every message like a template', () => {
    // Prepare
    const campaign = campaignOf({
      messages: { good: { sms: sms('ok {{offer.code}}') }, bad: { sms: { 'en-US': 'Hi {{nmae}}' } } },
      messageRules: [
        { tier: 'gold', message: 'good' },
        { segment: 'lost', message: 'missing' },
      ],
    });

    // Act
    const problems = templateProblems(campaign);

    // Assess
    expect(problems).toEqual([
      expect.stringMatching(/^messages\.bad\.sms\.en-US: unknown variable \{\{nmae\}\}/),
      'messages.bad.sms.en-US: every SMS must tell how to opt out (STOP)',
      expect.stringMatching(/^messageRules\.1\.message: no message named missing in messages \(there are: good, bad\)/),
    ]);
  });
});
