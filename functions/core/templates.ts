import { DateTime } from 'luxon';
import Mustache from 'mustache';
import { SegmentedMessage } from 'sms-segments-calculator';
import type { Campaign, Channel, Locale, Offer, Segment, Tier } from './schemas.js';

/** `{{offer.title}}`, `{{offer.expires}}` and `{{offer.code}}`: empty strings where the touch has no offer. */
export interface OfferVariables {
  title: string;
  expires: string;
  code: string;
}

/** The variables a message template may use. */
export interface MessageVariables {
  brand: string;
  name: string;
  surveyUrl: string;
  unsubscribeUrl: string;
  campaignName: string;
  touch: number;
  offer?: OfferVariables;
}

export interface EscalationVariables {
  brand: string;
  customerName: string;
  customerId: string;
  tier: string;
  segment: string;
  reason: string;
  replyText: string;
  score: string;
  campaignName: string;
  /** A, B or C (rulebook section 5). */
  severity: string;
  category: string;
  /** The SLA deadline, in the campaign's time zone. */
  respondBy: string;
  /** Why this owner gets it: a new ticket, the SLA missed below them, or the customer said it is not solved. */
  why: string;
  /** The customer's earlier touches and answers, one line each. */
  history: string;
  acknowledgeUrl: string;
  resolveUrl: string;
}

export const DEFAULT_TEMPLATES = {
  sms: {
    'zh-CN': '【{{brand}}】{{name}}您好，感谢一年来的支持！请回复1-5为我们的服务打分（5=非常满意），或直接回复建议。回复TD退订',
    'en-US':
      '{{brand}}: Hi {{name}}, how satisfied were you with us this year? Reply 1-5 (5=very satisfied) or a few words. Reply STOP to opt out',
  },
  email: {
    'zh-CN': {
      subject: '{{brand}}：{{name}}，邀请您为我们的服务打分',
      text: '{{name}}您好：\n\n感谢您一年来对{{brand}}的支持。新春将至，我们想听听您的意见。请点击一个分数为我们的服务打分（5=非常满意），一次点击即可记录：\n1（非常不满意）：{{{surveyUrl}}}?score=1\n2（不满意）：{{{surveyUrl}}}?score=2\n3（一般）：{{{surveyUrl}}}?score=3\n4（满意）：{{{surveyUrl}}}?score=4\n5（非常满意）：{{{surveyUrl}}}?score=5\n\n也可以打开完整问卷：\n{{{surveyUrl}}}\n\n祝您新春快乐！\n{{brand}}客户服务团队\n\n退订：{{{unsubscribeUrl}}}',
      html: '<p>{{name}}您好：</p><p>感谢您一年来对{{brand}}的支持。新春将至，我们想听听您的意见，请点击一个分数为我们的服务打分（5=非常满意），一次点击即可记录：</p><p><a href="{{surveyUrl}}?score=1" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">1 非常不满意</a><a href="{{surveyUrl}}?score=2" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">2 不满意</a><a href="{{surveyUrl}}?score=3" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">3 一般</a><a href="{{surveyUrl}}?score=4" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">4 满意</a><a href="{{surveyUrl}}?score=5" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">5 非常满意</a></p><p>也可以<a href="{{surveyUrl}}">打开完整问卷</a>，补充评价和建议。</p><p>祝您新春快乐！<br>{{brand}}客户服务团队</p><p style="font-size:12px;color:#666"><a href="{{unsubscribeUrl}}">退订</a></p>',
    },
    'en-US': {
      subject: '{{brand}}: {{name}}, how did we do this year?',
      text: 'Hi {{name}},\n\nThank you for being with {{brand}} this year. How satisfied are you with our service? One click records your rating (5 = very satisfied):\n1 (Very dissatisfied): {{{surveyUrl}}}?score=1\n2 (Dissatisfied): {{{surveyUrl}}}?score=2\n3 (Neutral): {{{surveyUrl}}}?score=3\n4 (Satisfied): {{{surveyUrl}}}?score=4\n5 (Very satisfied): {{{surveyUrl}}}?score=5\n\nOr open the full survey:\n{{{surveyUrl}}}\n\nHappy holidays!\nThe {{brand}} customer care team\n\nUnsubscribe: {{{unsubscribeUrl}}}',
      html: '<p>Hi {{name}},</p><p>Thank you for being with {{brand}} this year. How satisfied are you with our service? One click records your rating (5 = very satisfied):</p><p><a href="{{surveyUrl}}?score=1" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">1 Very dissatisfied</a><a href="{{surveyUrl}}?score=2" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">2 Dissatisfied</a><a href="{{surveyUrl}}?score=3" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">3 Neutral</a><a href="{{surveyUrl}}?score=4" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">4 Satisfied</a><a href="{{surveyUrl}}?score=5" style="display:inline-block;margin:4px 4px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">5 Very satisfied</a></p><p>Or <a href="{{surveyUrl}}">open the full survey</a> to add a comment.</p><p>Happy holidays!<br>The {{brand}} customer care team</p><p style="font-size:12px;color:#666"><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
    },
  },
  managerTask: {
    'zh-CN': {
      subject: '【回访任务】请联系{{customerName}}（{{segment}} / {{tier}}）',
      text: '{{campaignName}}：客户 {{customerName}}（编号 {{customerId}}，{{tier}} / {{segment}}）需要您亲自电话或上门回访，请在 {{deadline}} 前完成，并在系统中记录结果。',
      html: '<p>{{campaignName}}：客户 <b>{{customerName}}</b>（编号 {{customerId}}，{{tier}} / {{segment}}）需要您亲自电话或上门回访。</p><p>请在 <b>{{deadline}}</b> 前完成，并在系统中记录结果。</p>',
    },
    'en-US': {
      subject: '[Follow-up task] Call {{customerName}} ({{segment}} / {{tier}})',
      text: '{{campaignName}}: customer {{customerName}} (id {{customerId}}, {{tier}} / {{segment}}) needs a personal call or visit from you. Please complete it by {{deadline}} and record the result.',
      html: '<p>{{campaignName}}: customer <b>{{customerName}}</b> (id {{customerId}}, {{tier}} / {{segment}}) needs a personal call or visit from you.</p><p>Please complete it by <b>{{deadline}}</b> and record the result.</p>',
    },
  },
  escalation: {
    'zh-CN': {
      subject: '【{{severity}}级工单】{{customerName}}（{{tier}}）：{{reason}}',
      text: '{{why}}\n\n客户：{{customerName}}（编号 {{customerId}}，{{tier}} / {{segment}}）\n活动：{{campaignName}}\n级别：{{severity}}（{{category}}）\n请在 {{respondBy}} 前响应。\n\n评分：{{score}}\n客户原话：{{replyText}}\n\n回访记录：\n{{history}}\n\n确认受理：{{{acknowledgeUrl}}}\n标记已解决：{{{resolveUrl}}}',
      html: '<p>{{why}}</p><table><tr><th align="left">客户</th><td>{{customerName}}（编号 {{customerId}}，{{tier}} / {{segment}}）</td></tr><tr><th align="left">活动</th><td>{{campaignName}}</td></tr><tr><th align="left">级别</th><td><b>{{severity}}</b>（{{category}}）</td></tr><tr><th align="left">响应时限</th><td><b>{{respondBy}}</b> 前</td></tr><tr><th align="left">评分</th><td>{{score}}</td></tr></table><p>客户原话：</p><blockquote>{{replyText}}</blockquote><p>回访记录：</p><pre>{{history}}</pre><p><a href="{{acknowledgeUrl}}" style="display:inline-block;margin:4px 8px 4px 0;padding:10px 14px;background:#0b5cad;color:#fff;border-radius:6px;text-decoration:none">确认受理</a><a href="{{resolveUrl}}" style="display:inline-block;margin:4px 0;padding:10px 14px;border:1px solid #0b5cad;color:#0b5cad;border-radius:6px;text-decoration:none">标记已解决</a></p>',
    },
    'en-US': {
      subject: '[Severity {{severity}}] {{customerName}} ({{tier}}): {{reason}}',
      text: '{{why}}\n\nCustomer: {{customerName}} (id {{customerId}}, {{tier}} / {{segment}})\nCampaign: {{campaignName}}\nSeverity: {{severity}} ({{category}})\nPlease respond by {{respondBy}}.\n\nScore: {{score}}\nIn their words: {{replyText}}\n\nHistory:\n{{history}}\n\nAcknowledge: {{{acknowledgeUrl}}}\nMark resolved: {{{resolveUrl}}}',
      html: '<p>{{why}}</p><table><tr><th align="left">Customer</th><td>{{customerName}} (id {{customerId}}, {{tier}} / {{segment}})</td></tr><tr><th align="left">Campaign</th><td>{{campaignName}}</td></tr><tr><th align="left">Severity</th><td><b>{{severity}}</b> ({{category}})</td></tr><tr><th align="left">Respond by</th><td><b>{{respondBy}}</b></td></tr><tr><th align="left">Score</th><td>{{score}}</td></tr></table><p>In their words:</p><blockquote>{{replyText}}</blockquote><p>History:</p><pre>{{history}}</pre><p><a href="{{acknowledgeUrl}}" style="display:inline-block;margin:4px 8px 4px 0;padding:10px 14px;background:#0b5cad;color:#fff;border-radius:6px;text-decoration:none">Acknowledge</a><a href="{{resolveUrl}}" style="display:inline-block;margin:4px 0;padding:10px 14px;border:1px solid #0b5cad;color:#0b5cad;border-radius:6px;text-decoration:none">Mark resolved</a></p>',
    },
  },
  /** The SMS care follow-up of rulebook section 1 (gold, no reply): a greeting that asks nothing. */
  care: {
    'zh-CN': '【{{brand}}】{{name}}您好，新春将至，感谢您一直以来的支持！如需帮助请随时联系我们。回复TD退订',
    'en-US':
      '{{brand}}: Hi {{name}}, warm wishes for the holidays and thank you for being with us. We are here if you need anything. Reply STOP to opt out',
  },
  /** Rulebook section 5: after the fix, ask whether the problem is solved (1 = solved, 2 = not solved). */
  confirmSms: {
    'zh-CN': '【{{brand}}】{{name}}您好，您反馈的问题我们已处理，请问是否已解决？回复1=已解决，2=未解决。回复TD退订',
    'en-US':
      '{{brand}}: Hi {{name}}, we worked on the issue you raised. Is it solved? Reply 1 = solved, 2 = not solved. Reply STOP to opt out',
  },
  confirmEmail: {
    'zh-CN': {
      subject: '{{brand}}：{{name}}，您反馈的问题解决了吗？',
      text: '{{name}}您好：\n\n您反馈的问题我们已经处理。请告诉我们是否已解决：\n已解决：{{{solvedUrl}}}\n未解决：{{{notSolvedUrl}}}\n\n{{brand}}客户服务团队\n\n退订：{{{unsubscribeUrl}}}',
      html: '<p>{{name}}您好：</p><p>您反馈的问题我们已经处理。请告诉我们是否已解决：</p><p><a href="{{solvedUrl}}" style="display:inline-block;margin:4px 8px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">已解决</a><a href="{{notSolvedUrl}}" style="display:inline-block;margin:4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">未解决</a></p><p>{{brand}}客户服务团队</p><p style="font-size:12px;color:#666"><a href="{{unsubscribeUrl}}">退订</a></p>',
    },
    'en-US': {
      subject: '{{brand}}: {{name}}, is your issue solved?',
      text: 'Hi {{name}},\n\nWe worked on the issue you raised. Please tell us whether it is solved:\nSolved: {{{solvedUrl}}}\nNot solved: {{{notSolvedUrl}}}\n\nThe {{brand}} customer care team\n\nUnsubscribe: {{{unsubscribeUrl}}}',
      html: '<p>Hi {{name}},</p><p>We worked on the issue you raised. Please tell us whether it is solved:</p><p><a href="{{solvedUrl}}" style="display:inline-block;margin:4px 8px 4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">Solved</a><a href="{{notSolvedUrl}}" style="display:inline-block;margin:4px 0;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">Not solved</a></p><p>The {{brand}} customer care team</p><p style="font-size:12px;color:#666"><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
    },
  },
} satisfies NonNullable<Campaign['templates']>;

/** The shipped SMS for campaigns whose SMS asks the NPS question (`survey.smsAsks: nps`). */
export const DEFAULT_NPS_SMS = {
  'zh-CN': '【{{brand}}】{{name}}您好，您有多大可能向朋友推荐我们？请回复0-10（10=非常可能）或直接回复建议。回复TD退订',
  'en-US':
    '{{brand}}: Hi {{name}}, how likely are you to recommend us to a friend? Reply 0-10 (10=very likely) or a few words. Reply STOP to opt out',
} satisfies Record<Locale, string>;

export function templatesOf(campaign: Campaign): typeof DEFAULT_TEMPLATES {
  const custom = campaign.templates ?? {};
  return {
    sms: custom.sms ?? (campaign.survey?.smsAsks === 'nps' ? DEFAULT_NPS_SMS : DEFAULT_TEMPLATES.sms),
    email: custom.email ?? DEFAULT_TEMPLATES.email,
    managerTask: custom.managerTask ?? DEFAULT_TEMPLATES.managerTask,
    escalation: custom.escalation ?? DEFAULT_TEMPLATES.escalation,
    care: custom.care ?? DEFAULT_TEMPLATES.care,
    confirmSms: custom.confirmSms ?? DEFAULT_TEMPLATES.confirmSms,
    confirmEmail: custom.confirmEmail ?? DEFAULT_TEMPLATES.confirmEmail,
  };
}

/** What a touch's message is chosen by (docs/templates.md): its tier, segment and what asked for it. */
export interface TouchContext {
  tier: Tier;
  segment: Segment;
  /** `cadence` or an event's step (`purchase+3d`) for a program touch; null for a campaign's. */
  trigger: string | null;
  /** A program touch's own message name (its cadence or trigger message); null or `default`: by the rules. */
  message: string | null;
}

function ruleMatches(rule: Campaign['messageRules'][number], touch: TouchContext): number {
  let matched = 0;
  if (rule.tier !== undefined) {
    if (rule.tier !== touch.tier) return -1;
    matched++;
  }
  if (rule.segment !== undefined) {
    if (rule.segment !== touch.segment) return -1;
    matched++;
  }
  if (rule.trigger !== undefined) {
    const trigger = touch.trigger ?? '';
    if (rule.trigger !== trigger && !trigger.startsWith(`${rule.trigger}+`)) return -1;
    matched++;
  }
  return matched;
}

/**
 * The named messages a touch may take its text from, the first one first: the program touch's own message,
 * then every matching rule, the more fields it matches the earlier (ties: the order of the file). After them
 * come the campaign's `templates`, then the shipped ones.
 */
export function messageCandidates(campaign: Campaign, touch: TouchContext): string[] {
  const names: string[] = [];
  if (touch.message && touch.message !== 'default') names.push(touch.message);
  const ranked = campaign.messageRules
    .map((rule, index) => ({ rule, index, matched: ruleMatches(rule, touch) }))
    .filter((r) => r.matched >= 0)
    .sort((a, b) => b.matched - a.matched || a.index - b.index);
  for (const { rule } of ranked) if (!names.includes(rule.message)) names.push(rule.message);
  return names;
}

type EmailTemplate = { subject: string; text: string; html: string };

/** The text a touch sends: its label (the outbox's and the touch record's `template`) and the SMS or e-mail template. */
export type ChosenTemplate =
  | { label: string; message: string | null; channel: 'sms'; sms: string }
  | { label: string; message: string | null; channel: 'email'; email: EmailTemplate };

/** `sms/zh-CN` for the campaign's templates, `gold-checkin:sms/zh-CN` for a named message. */
export function templateLabel(message: string | null, channel: Channel, locale: Locale, purpose = 'survey'): string {
  const base = `${purpose === 'survey' ? '' : `${purpose}-`}${channel}/${locale}`;
  return message ? `${message}:${base}` : base;
}

/**
 * The template a touch sends, per channel and locale: the first candidate message (messageCandidates) that
 * has the channel in the customer's locale, else the campaign's templates, else the shipped ones; a locale
 * a message leaves out falls through to the next more general level, never to an empty message. The care
 * greeting and the "is it solved?" question are the campaign's own (templates.care, confirmSms, confirmEmail).
 */
export function chooseTemplate(
  campaign: Campaign,
  purpose: 'survey' | 'care' | 'confirm',
  channel: Channel,
  locale: Locale,
  touch: TouchContext,
): ChosenTemplate {
  const templates = templatesOf(campaign);
  const label = (message: string | null) => templateLabel(message, channel, locale, purpose);
  if (purpose === 'confirm')
    return channel === 'sms'
      ? { label: label(null), message: null, channel, sms: templates.confirmSms[locale] }
      : { label: label(null), message: null, channel, email: templates.confirmEmail[locale] };
  if (purpose === 'care' && channel === 'sms') return { label: label(null), message: null, channel, sms: templates.care[locale] };
  for (const name of messageCandidates(campaign, touch)) {
    const message = campaign.messages[name];
    if (channel === 'sms') {
      const sms = message?.sms?.[locale];
      if (sms) return { label: label(name), message: name, channel, sms };
    } else {
      const email = message?.email?.[locale];
      if (email) return { label: label(name), message: name, channel, email };
    }
  }
  return channel === 'sms'
    ? { label: label(null), message: null, channel, sms: templates.sms[locale] }
    : { label: label(null), message: null, channel, email: templates.email[locale] };
}

/** Whether the template hands out a coupon code (`{{offer.code}}`): only then is a code drawn for the customer. */
export function usesOfferCode(chosen: ChosenTemplate): boolean {
  const texts = chosen.channel === 'sms' ? [chosen.sms] : [chosen.email.subject, chosen.email.text, chosen.email.html];
  return texts.some((text) => {
    try {
      return (variablesOf(Mustache.parse(text) as Token[]) ?? []).some((use) => use.name === 'offer.code');
    } catch {
      return false;
    }
  });
}

/** The offer a customer of the tier and segment hears: the segment's (lost: win-back) wins over the tier's. */
export function offerFor(campaign: Campaign, tier: Tier, segment: Segment): Offer | null {
  return campaign.offers.segments[segment] ?? campaign.offers.tiers[tier] ?? null;
}

/** What `{{offer.code}}` says when the pool has no code left: the message goes out, without a code. */
export const OFFER_CODE_UNAVAILABLE: Record<Locale, string> = {
  'zh-CN': '（优惠码已领完，请联系客服领取）',
  'en-US': '(all codes are taken: contact us for yours)',
};

/** The offer's variables in the customer's locale; `code` null: the pool had none left (OFFER_CODE_UNAVAILABLE). */
export function offerVariables(offer: Offer | null, locale: Locale, code: string | null): OfferVariables {
  if (!offer) return { title: '', expires: '', code: '' };
  const title =
    typeof offer.title === 'string' ? offer.title : (offer.title[locale] ?? Object.values(offer.title).find(Boolean) ?? '');
  const day = offer.expires ? DateTime.fromISO(offer.expires) : null;
  const expires = !day
    ? ''
    : locale === 'zh-CN'
      ? day.toFormat("yyyy'年'M'月'd'日'")
      : day.setLocale('en-US').toFormat('LLLL d, yyyy');
  return { title, expires, code: offer.codes ? (code ?? OFFER_CODE_UNAVAILABLE[locale]) : '' };
}

/** Renders the chosen SMS (plain text, with its parts) or e-mail (only the HTML part escapes the variables). */
export function renderChosen(chosen: ChosenTemplate & { channel: 'sms' }, vars: object): RenderedSms;
export function renderChosen(chosen: ChosenTemplate & { channel: 'email' }, vars: object): RenderedEmail;
export function renderChosen(chosen: ChosenTemplate, vars: object): RenderedSms | RenderedEmail;
export function renderChosen(chosen: ChosenTemplate, vars: object): RenderedSms | RenderedEmail {
  if (chosen.channel === 'email') return renderEmailTemplate(chosen.email, vars);
  const body = renderPlain(chosen.sms, vars);
  return { body, ...smsSegmentsOf(body) };
}

// SMS and plain-text parts are not HTML: render them without HTML escaping.
function renderPlain(template: string, view: object): string {
  return Mustache.render(template, view, {}, { escape: (value: string) => value });
}

export interface RenderedSms {
  body: string;
  encoding: string;
  segments: number;
}

const segmentCache = new Map<string, { encoding: string; segments: number }>();

/**
 * Encoding and parts of an SMS body, by sms-segments-calculator. Counting is costly (grapheme
 * splitting) and a campaign sends one template to many names, so results are kept per body shape:
 * every CJK ideograph stands for any other (one UCS-2 unit each) and every ASCII letter or digit for
 * any other (one GSM-7 septet each), which changes neither the encoding nor the size.
 */
export function smsSegmentsOf(body: string): { encoding: string; segments: number } {
  const shape = body.replace(/[\u4e00-\u9fff]/g, '中').replace(/[A-Za-z0-9]/g, 'a');
  let counted = segmentCache.get(shape);
  if (!counted) {
    const segmented = new SegmentedMessage(body);
    counted = { encoding: segmented.encodingName, segments: segmented.segmentsCount };
    if (segmentCache.size > 50_000) segmentCache.clear();
    segmentCache.set(shape, counted);
  }
  return counted;
}

export function renderSms(campaign: Campaign, locale: Locale, vars: MessageVariables): RenderedSms {
  const template = templatesOf(campaign).sms[locale];
  const body = renderPlain(template, vars);
  return { body, ...smsSegmentsOf(body) };
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Subject and text part are plain text; only the HTML part escapes the variables. The subject is a
 * header: a line break in a value (a customer name may hold one) becomes a space there.
 */
function renderEmailTemplate(template: EmailTemplate, vars: object): RenderedEmail {
  return {
    subject: renderPlain(template.subject, vars).replace(/\s*[\r\n]+\s*/g, ' '),
    text: renderPlain(template.text, vars),
    html: Mustache.render(template.html, vars),
  };
}

export function renderEmail(campaign: Campaign, locale: Locale, vars: MessageVariables): RenderedEmail {
  return renderEmailTemplate(templatesOf(campaign).email[locale], vars);
}

export function renderEscalation(campaign: Campaign, locale: Locale, vars: EscalationVariables): RenderedEmail {
  return renderEmailTemplate(templatesOf(campaign).escalation[locale], vars);
}

export function renderCareSms(campaign: Campaign, locale: Locale, vars: MessageVariables): RenderedSms {
  const body = renderPlain(templatesOf(campaign).care[locale], vars);
  return { body, ...smsSegmentsOf(body) };
}

export interface ConfirmVariables extends MessageVariables {
  solvedUrl: string;
  notSolvedUrl: string;
}

export function renderConfirmSms(campaign: Campaign, locale: Locale, vars: ConfirmVariables): RenderedSms {
  const body = renderPlain(templatesOf(campaign).confirmSms[locale], vars);
  return { body, ...smsSegmentsOf(body) };
}

export function renderConfirmEmail(campaign: Campaign, locale: Locale, vars: ConfirmVariables): RenderedEmail {
  return renderEmailTemplate(templatesOf(campaign).confirmEmail[locale], vars);
}

export interface ManagerTaskVariables {
  campaignName: string;
  customerName: string;
  customerId: string;
  tier: string;
  segment: string;
  deadline: string;
}

export function renderManagerTask(campaign: Campaign, locale: Locale, vars: ManagerTaskVariables): RenderedEmail {
  return renderEmailTemplate(templatesOf(campaign).managerTask[locale], vars);
}

const OFFER_VARIABLES = ['offer', 'offer.title', 'offer.expires', 'offer.code'] as const;

const VARIABLES = {
  sms: ['brand', 'name', 'surveyUrl', 'unsubscribeUrl', 'campaignName', 'touch', ...OFFER_VARIABLES],
  email: ['brand', 'name', 'surveyUrl', 'unsubscribeUrl', 'campaignName', 'touch', ...OFFER_VARIABLES],
  escalation: [
    'brand',
    'customerName',
    'customerId',
    'tier',
    'segment',
    'reason',
    'replyText',
    'score',
    'campaignName',
    'severity',
    'category',
    'respondBy',
    'why',
    'history',
    'acknowledgeUrl',
    'resolveUrl',
  ],
  care: ['brand', 'name', 'surveyUrl', 'unsubscribeUrl', 'campaignName', 'touch', ...OFFER_VARIABLES],
  confirmSms: ['brand', 'name', 'surveyUrl', 'unsubscribeUrl', 'campaignName', 'touch', 'solvedUrl', 'notSolvedUrl'],
  confirmEmail: ['brand', 'name', 'surveyUrl', 'unsubscribeUrl', 'campaignName', 'touch', 'solvedUrl', 'notSolvedUrl'],
  managerTask: ['campaignName', 'customerName', 'customerId', 'tier', 'segment', 'deadline'],
} as const;

/** Every opt-out instruction a carrier understands, per locale (rulebook section 3). */
const OPT_OUT_WORDS: Record<Locale, readonly string[]> = { 'zh-CN': ['TD', '退订'], 'en-US': ['STOP'] };

type Token = [string, string, number, number, Token[]?, number?];

/**
 * Sections ({{#a}}...{{/a}}) nested deeper than this are no message template, and Mustache renders
 * them by recursion: a file with thousands would overflow the stack at send time.
 */
const MAX_SECTION_DEPTH = 10;

/** Variables that may go into HTML unescaped ({{{...}}}): our own signed links, never anybody's text. */
const LINK_VARIABLES = new Set(['surveyUrl', 'unsubscribeUrl', 'acknowledgeUrl', 'resolveUrl', 'solvedUrl', 'notSolvedUrl']);

interface VariableUse {
  name: string;
  /** Written {{{name}}} or {{&name}}: Mustache does not HTML-escape it. */
  unescaped: boolean;
}

/** The variables the tokens use, depth first; null when sections nest deeper than MAX_SECTION_DEPTH. */
function variablesOf(tokens: readonly Token[], depth = 0): VariableUse[] | null {
  if (depth > MAX_SECTION_DEPTH) return null;
  const uses: VariableUse[] = [];
  for (const [type, value, , , children] of tokens) {
    if (['name', '&', '#', '^'].includes(type)) uses.push({ name: value, unescaped: type === '&' });
    if (children) {
      const inner = variablesOf(children, depth + 1);
      if (inner === null) return null;
      uses.push(...inner);
    }
  }
  return uses;
}

/**
 * Checks a campaign's templates when the campaign is validated, not at send time: each template
 * parses, uses only the variables its kind offers, every SMS carries the opt-out instruction, and
 * every customer e-mail carries the survey and unsubscribe links. Returns the problems, by field.
 */
export function templateProblems(campaign: Campaign): string[] {
  const problems: string[] = [];
  const templates = templatesOf(campaign);
  const check = (field: string, text: string, allowed: readonly string[]): string[] => {
    let tokens: Token[];
    try {
      tokens = Mustache.parse(text) as Token[];
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message.toLowerCase()}`);
      return [];
    }
    const used = variablesOf(tokens);
    if (used === null) {
      problems.push(`${field}: sections ({{#...}}) nested more than ${MAX_SECTION_DEPTH} deep`);
      return [];
    }
    for (const { name, unescaped } of used) {
      if (!allowed.includes(name))
        problems.push(
          `${field}: unknown variable {{${name}}} (use ${allowed
            .filter((v) => v !== 'offer')
            .map((v) => `{{${v}}}`)
            .join(', ')})`,
        );
      // What a customer wrote (a name, a reply) must not become markup in an e-mail.
      else if (unescaped && field.endsWith('.html') && !LINK_VARIABLES.has(name))
        problems.push(`${field}: {{{${name}}}} is not HTML-escaped: write {{${name}}}`);
    }
    return used.map((u) => u.name);
  };
  const checkSms = (prefix: string, sms: Partial<Record<Locale, string>>) => {
    for (const [locale, text] of Object.entries(sms) as [Locale, string][]) {
      check(`${prefix}.${locale}`, text, VARIABLES.sms);
      if (!OPT_OUT_WORDS[locale].some((word) => text.includes(word))) {
        problems.push(`${prefix}.${locale}: every SMS must tell how to opt out (${OPT_OUT_WORDS[locale].join(' or ')})`);
      }
    }
  };
  const checkEmail = (prefix: string, emails: Partial<Record<Locale, EmailTemplate>>) => {
    for (const [locale, email] of Object.entries(emails) as [Locale, EmailTemplate][]) {
      check(`${prefix}.${locale}.subject`, email.subject, VARIABLES.email);
      for (const part of ['text', 'html'] as const) {
        const used = check(`${prefix}.${locale}.${part}`, email[part], VARIABLES.email);
        for (const link of ['surveyUrl', 'unsubscribeUrl']) {
          if (!used.includes(link)) problems.push(`${prefix}.${locale}.${part}: must include the {{${link}}} link`);
        }
      }
    }
  };
  checkSms('templates.sms', templates.sms);
  checkEmail('templates.email', templates.email);
  for (const [name, message] of Object.entries(campaign.messages ?? {})) {
    if (message.sms) checkSms(`messages.${name}.sms`, message.sms);
    if (message.email) checkEmail(`messages.${name}.email`, message.email);
  }
  const known = Object.keys(campaign.messages ?? {});
  for (const [i, rule] of (campaign.messageRules ?? []).entries()) {
    if (!known.includes(rule.message))
      problems.push(
        `messageRules.${i}.message: no message named ${rule.message} in messages (there are: ${known.join(', ') || 'none'}) / messages 中没有名为 ${rule.message} 的消息`,
      );
  }
  for (const kind of ['care', 'confirmSms'] as const) {
    for (const locale of Object.keys(templates[kind]) as Locale[]) {
      const text = templates[kind][locale];
      check(`templates.${kind}.${locale}`, text, VARIABLES[kind]);
      if (!OPT_OUT_WORDS[locale].some((word) => text.includes(word))) {
        problems.push(`templates.${kind}.${locale}: every SMS must tell how to opt out (${OPT_OUT_WORDS[locale].join(' or ')})`);
      }
    }
  }
  for (const locale of Object.keys(templates.confirmEmail) as Locale[]) {
    for (const part of ['subject', 'text', 'html'] as const) {
      check(`templates.confirmEmail.${locale}.${part}`, templates.confirmEmail[locale][part], VARIABLES.confirmEmail);
    }
  }
  for (const kind of ['escalation', 'managerTask'] as const) {
    for (const locale of Object.keys(templates[kind]) as Locale[]) {
      for (const part of ['subject', 'text', 'html'] as const) {
        check(`templates.${kind}.${locale}.${part}`, templates[kind][locale][part], VARIABLES[kind]);
      }
    }
  }
  return problems;
}
