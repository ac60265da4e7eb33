import { type Campaign, type Channel, LOCALES, type Locale } from './schemas.js';
import { chooseTemplate, offerFor, offerVariables, renderChosen, type TouchContext } from './templates.js';

/** A touch a plan places: what its message is chosen by and the channel it goes on. */
export interface PreviewTouch extends TouchContext {
  channel: Channel;
}

/** One rendered message: a template a plan uses, in one locale, for a sample customer. */
export interface MessagePreview {
  /** The named message, or `default` (the campaign's or program's templates, else the shipped ones). */
  template: string;
  channel: Channel;
  locale: Locale;
  /** As the outbox and the touch record will name it: `gold-checkin:sms/zh-CN`, `sms/zh-CN`. */
  label: string;
  /** How many touches of the plan take it (in any locale: the plan does not weigh locales). */
  touches: number;
  /** The SMS as sent, or the e-mail's subject. */
  subject: string | null;
  text: string;
  /** SMS only: its parts (UCS-2 for Chinese: 70 characters, 67 a part once split) and encoding. */
  smsParts: number | null;
  encoding: string | null;
}

/** Sample variables for previews: no customer's data, a link as long as a real one, a code as long as a usual one. */
const SAMPLE_NAME: Record<Locale, string> = { 'zh-CN': '王女士', 'en-US': 'Alex Morgan' };
const SAMPLE_LINK = 'https://r.example.com/s/0123456789abcdef0123456789abcdef';
const SAMPLE_CODE = 'SAMPLE-2027-0001';

/**
 * One rendered message per template the plan's touches actually take (chooseTemplate, as Contact chooses:
 * the program touch's own message, the most specific rule, the templates) and per locale, zh-CN first,
 * with the offer of the first touch that takes it and a sample code, and its SMS parts.
 */
export function messagePreviewsOf(
  campaign: Campaign,
  touches: Iterable<PreviewTouch>,
  brand = campaign.brand,
  campaignName = campaign.name,
): MessagePreview[] {
  const previews = new Map<string, MessagePreview>();
  const seen = new Map<string, number>();
  for (const touch of touches) {
    const shape = `${touch.channel}|${touch.tier}|${touch.segment}|${touch.trigger}|${touch.message}`;
    seen.set(shape, (seen.get(shape) ?? 0) + 1);
  }
  for (const [shape, count] of seen) {
    const [channel, tier, segment, trigger, message] = shape.split('|') as [
      Channel,
      TouchContext['tier'],
      TouchContext['segment'],
      string,
      string,
    ];
    const touch: TouchContext = {
      tier,
      segment,
      trigger: trigger === 'null' ? null : trigger,
      message: message === 'null' ? null : message,
    };
    for (const locale of LOCALES) {
      const chosen = chooseTemplate(campaign, 'survey', channel, locale, touch);
      const key = `${chosen.message ?? 'default'}|${channel}|${locale}`;
      const known = previews.get(key);
      if (known) {
        known.touches += count;
        continue;
      }
      const offer = offerFor(campaign, tier, segment);
      const vars = {
        brand,
        name: SAMPLE_NAME[locale],
        campaignName,
        touch: 1,
        surveyUrl: SAMPLE_LINK,
        unsubscribeUrl: SAMPLE_LINK,
        offer: offerVariables(offer, locale, offer?.codes ? SAMPLE_CODE : null),
      };
      const base = { template: chosen.message ?? 'default', channel, locale, label: chosen.label, touches: count };
      if (chosen.channel === 'sms') {
        const sms = renderChosen(chosen, vars);
        previews.set(key, { ...base, subject: null, text: sms.body, smsParts: sms.segments, encoding: sms.encoding });
      } else {
        const email = renderChosen(chosen, vars);
        previews.set(key, { ...base, subject: email.subject, text: email.text, smsParts: null, encoding: null });
      }
    }
  }
  const order = (p: MessagePreview) => `${p.template === 'default' ? '' : p.template}|${p.channel}|${LOCALES.indexOf(p.locale)}`;
  return [...previews.values()].sort((a, b) => order(a).localeCompare(order(b)));
}

/** previews.md: each message under its label, the SMS with its parts, the e-mail with its subject. */
export function previewsMarkdown(title: string, previews: readonly MessagePreview[]): string {
  const out = [
    `# ${title}`,
    '',
    'One rendered message per template used, for a sample customer / 每个用到的模板一条示例（示例客户）',
    '',
  ];
  for (const p of previews) {
    out.push(`## ${p.label} (${p.touches} touches / 次)`, '');
    if (p.channel === 'sms') out.push(`${p.smsParts} SMS part(s) / 条, ${p.encoding}`, '');
    else out.push(`Subject / 主题: ${p.subject}`, '');
    out.push('```text', p.text, '```', '');
  }
  return out.join('\n');
}

/** The printed lines: one per message, the SMS in full with its parts, the e-mail by its subject. */
export function previewLines(previews: readonly MessagePreview[]): string[] {
  return previews.map((p) =>
    p.channel === 'sms'
      ? `  ${p.label} (${p.smsParts} SMS part(s) / 条, ${p.touches} touches / 次): ${p.text}`
      : `  ${p.label} (${p.touches} touches / 次): ${p.subject}`,
  );
}
