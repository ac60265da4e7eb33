import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../../functions/core/replies.js';
import type { Campaign } from '../../../functions/core/schemas.js';
import {
  DEFAULT_TEMPLATES,
  type MessageVariables,
  renderEmail,
  renderEscalation,
  renderSms,
} from '../../../functions/core/templates.js';
import { campaignOf } from '../../support/fixtures.js';

const vars: MessageVariables = {
  brand: 'Revisit Shop',
  name: '王芳',
  surveyUrl: 'https://revisit.example.com/s/abc.def?x=1&y=2',
  unsubscribeUrl: 'https://revisit.example.com/u/ghi.jkl',
  campaignName: '新春回访',
  touch: 1,
};

/** Undoes Mustache's HTML escaping of an attribute value. */
function unescapeHtml(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/&amp;/g, '&');
}

/** A campaign whose SMS is just the customer's name, so the body length is under the test's control. */
function nameOnlySms(): Campaign {
  return campaignOf({
    templates: { ...DEFAULT_TEMPLATES, sms: { 'zh-CN': '{{name}}', 'en-US': '{{name}}' } },
  });
}

describe('renderSms', () => {
  it.each([
    ['csat', 'zh-CN'],
    ['csat', 'en-US'],
    ['nps', 'zh-CN'],
    ['nps', 'en-US'],
  ] as const)('fits the shipped %s SMS in %s into one part, opt-out included, for a typical brand and name', (asks, locale) => {
    const brand = locale === 'zh-CN' ? '好再来' : 'Revisit Shop';
    const campaign = campaignOf({ brand, survey: { smsAsks: asks } });

    const sms = renderSms(campaign, locale, { ...vars, brand, name: locale === 'zh-CN' ? '王芳' : 'Ethan Brown' });

    expect(sms.segments).toBe(1);
    expect(sms.body).toMatch(locale === 'zh-CN' ? /回复TD退订$/ : /Reply STOP to opt out$/);
  });

  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
  ])('counts %i Chinese characters as UCS-2 in %i segment(s) (70, then 67 per part)', (length, segments) => {
    // Act
    const sms = renderSms(nameOnlySms(), 'zh-CN', { ...vars, name: '好'.repeat(length) });

    // Assess
    expect(sms).toMatchObject({ encoding: 'UCS-2', segments });
    expect(sms.body).toHaveLength(length);
  });

  it.each([
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
  ])('counts %i Latin characters as GSM-7 in %i segment(s) (160, then 153 per part)', (length, segments) => {
    const sms = renderSms(nameOnlySms(), 'en-US', { ...vars, name: 'a'.repeat(length) });

    expect(sms).toMatchObject({ encoding: 'GSM-7', segments });
  });

  it('writes the Chinese message with the brand, the name and a reply-with-a-digit prompt', () => {
    const sms = renderSms(campaignOf(), 'zh-CN', vars);

    expect(sms.body).toContain('Revisit Shop');
    expect(sms.body).toContain('王芳');
    expect(sms.body).toMatch(/回复[^，。]*1-5/);
    expect(sms.encoding).toBe('UCS-2');
  });

  it('keeps the default English message in GSM-7', () => {
    const sms = renderSms(campaignOf(), 'en-US', { ...vars, name: 'Ethan' });

    expect(sms.body).toContain('Ethan');
    expect(sms.encoding).toBe('GSM-7');
  });

  it.each([
    ['zh-CN', /回复TD退订/, 'TD'],
    ['en-US', /Reply STOP\b/, 'STOP'],
  ] as const)('tells the %s customer how to opt out with a keyword that replies understand', (locale, instruction, keyword) => {
    const sms = renderSms(campaignOf(), locale, vars);

    expect(sms.body).toMatch(instruction);
    expect(classifyReply(keyword)).toEqual({ kind: 'optout', value: keyword });
  });

  it('does not HTML-escape variables in an SMS', () => {
    const sms = renderSms(nameOnlySms(), 'en-US', { ...vars, name: 'Tom & Jerry <Ltd>' });

    expect(sms.body).toBe('Tom & Jerry <Ltd>');
  });
});

describe('renderEmail', () => {
  it('HTML-escapes variables in the HTML part of the default e-mail', () => {
    const email = renderEmail(campaignOf(), 'en-US', { ...vars, name: '<script>alert(1)</script> & Co' });

    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; Co');
    expect(email.html).not.toContain('<script>');
  });

  it('leaves variables in the text part and the subject unescaped', () => {
    // Prepare: double braces everywhere, which Mustache would HTML-escape by default
    const campaign = campaignOf({
      templates: {
        ...DEFAULT_TEMPLATES,
        email: {
          ...DEFAULT_TEMPLATES.email,
          'en-US': { subject: 'For {{name}}', text: 'Dear {{name}}', html: '<p>{{name}}</p>' },
        },
      },
    });

    // Act
    const email = renderEmail(campaign, 'en-US', { ...vars, name: 'Tom & Jerry <Ltd>' });

    // Assess
    expect(email).toEqual({
      subject: 'For Tom & Jerry <Ltd>',
      text: 'Dear Tom & Jerry <Ltd>',
      html: '<p>Tom &amp; Jerry &lt;Ltd&gt;</p>',
    });
  });

  it('keeps the customer name unescaped in the default text part', () => {
    const email = renderEmail(campaignOf(), 'en-US', { ...vars, name: 'Tom & Jerry' });

    expect(email.text).toContain('Tom & Jerry');
    expect(email.text).not.toContain('&amp;');
  });

  it.each(['zh-CN', 'en-US'] as const)('puts the survey and unsubscribe links in both parts of the %s e-mail', (locale) => {
    const email = renderEmail(campaignOf(), locale, vars);

    expect(email.text).toContain(vars.surveyUrl);
    expect(email.text).toContain(vars.unsubscribeUrl);
    expect(email.html).toContain('href="https:&#x2F;&#x2F;revisit.example.com&#x2F;s&#x2F;abc.def?x&#x3D;1&amp;y&#x3D;2"');
    expect(email.html).toContain('href="https:&#x2F;&#x2F;revisit.example.com&#x2F;u&#x2F;ghi.jkl"');
  });

  it.each(['zh-CN', 'en-US'] as const)('offers one-click ratings 1 to 5 in both parts of the %s e-mail', (locale) => {
    // Prepare: a survey link as contact.ts signs it, the token in the path
    const surveyUrl = 'https://revisit.example.com/s/eyJwIjoic3VydmV5In0.c2ln';

    // Act
    const email = renderEmail(campaignOf(), locale, { ...vars, surveyUrl });

    // Assess
    const ratings = Array.from({ length: 5 }, (_, i) => `${surveyUrl}?score=${i + 1}`);
    const textLinks = email.text.match(/https:\/\/\S+\?score=\d+/g);
    const htmlLinks = [...email.html.matchAll(/href="([^"]+\?score=\d+)"/g)].map((m) => unescapeHtml(m[1] ?? ''));
    expect(textLinks).toEqual(ratings);
    expect(htmlLinks).toEqual(ratings);
  });

  it('writes to a zh-CN customer in Chinese', () => {
    const email = renderEmail(campaignOf(), 'zh-CN', vars);

    expect(email.subject).toContain('王芳');
    expect(email.subject).toMatch(/[\u4e00-\u9fff]{4}/);
    expect(email.text).toMatch(/退订/);
  });

  it("uses the campaign's own templates instead of the defaults", () => {
    const campaign = campaignOf({
      templates: {
        ...DEFAULT_TEMPLATES,
        email: {
          ...DEFAULT_TEMPLATES.email,
          'en-US': { subject: 'Hello {{name}}', text: 'T {{name}}', html: '<p>{{name}}</p>' },
        },
      },
    });

    const email = renderEmail(campaign, 'en-US', { ...vars, name: 'Ann' });

    expect(email).toEqual({ subject: 'Hello Ann', text: 'T Ann', html: '<p>Ann</p>' });
  });
});

describe('renderEscalation', () => {
  it("gives the manager the customer's context and words, escaped in HTML only", () => {
    const email = renderEscalation(campaignOf(), 'en-US', {
      brand: 'Revisit Shop',
      customerName: 'Ethan Brown',
      customerId: 'C0001',
      tier: 'diamond',
      segment: 'core',
      reason: 'low CSAT (1/5)',
      replyText: 'Parcel <broken> & late',
      score: '1/5',
      campaignName: 'Spring follow-up',
      severity: 'B',
      category: 'logistics',
      respondBy: '2026-12-17 10:30 GMT+8',
      why: 'New B ticket.',
      history: '#1 2026-12-16 10:30 sms: score 1',
      acknowledgeUrl: 'https://revisit.example.com/t/abc?do=acknowledge',
      resolveUrl: 'https://revisit.example.com/t/abc?do=resolve',
    });

    expect(email.subject).toContain('Ethan Brown');
    expect(email.subject).toContain('low CSAT (1/5)');
    expect(email.subject).toContain('[Severity B]');
    expect(email.text).toContain('Acknowledge: https://revisit.example.com/t/abc?do=acknowledge');
    expect(email.text).toContain('Please respond by 2026-12-17 10:30 GMT+8');
    expect(email.text).toContain('Parcel <broken> & late');
    expect(email.text).toContain('C0001');
    expect(email.html).toContain('<blockquote>Parcel &lt;broken&gt; &amp; late</blockquote>');
  });
});
