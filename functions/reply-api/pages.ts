import type { ExtraQuestion, Locale, LocalizedText } from '../core/schemas.js';

const TEXT = {
  'zh-CN': {
    title: '满意度调查',
    intro: '只需一分钟。带 * 的问题为必答，其余可以跳过。',
    question: '您对我们的服务满意吗？',
    scale: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
    nps: '您有多大可能向朋友或同事推荐我们？（选填）',
    npsEnds: ['0 = 完全不可能', '10 = 非常可能'],
    dimensions: {
      attitude: '服务态度（选填）',
      efficiency: '效率（选填）',
      result: '结果（选填）',
    },
    comment: '还有什么想告诉我们的吗？（选填，最多 2000 字）',
    optional: '（选填）',
    yes: '是',
    no: '否',
    missingScore: '请先为我们的服务选择一个 1 到 5 的评分。',
    checkAnswers: '有的回答无法接受，请检查后再提交。',
    scored: '谢谢！您的评分已记录。如愿意，可以在下面补充评论。',
    submit: '提交',
    thanks: '感谢您的反馈！',
    invalid: '此链接无效或已过期，您的回答未被记录。',
    answered: '此问卷已经回答过了，感谢您的反馈！再次提交的内容未被记录。',
    unsubscribed: '您已退订，我们不会再向此地址发送回访消息。',
    confirmTitle: '问题解决了吗？',
    confirmQuestion: '您反馈的问题我们已经处理。请问是否已解决？',
    solved: '已解决',
    notSolved: '未解决',
    confirmThanks: '谢谢您的确认！',
    ticketTitle: '回访工单',
    acknowledge: '确认受理',
    resolve: '标记已解决',
    acknowledged: '已确认受理。',
    resolved: '已标记为解决，系统将在 3 天内向客户确认。',
    ticketDone: '此工单已处理过，本次操作未改变任何内容。',
  },
  'en-US': {
    title: 'Satisfaction survey',
    intro: 'It takes a minute. Questions marked * are required; you may skip the others.',
    question: 'How satisfied are you with our service?',
    scale: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    nps: 'How likely are you to recommend us to a friend or colleague? (optional)',
    npsEnds: ['0 = not at all likely', '10 = extremely likely'],
    dimensions: {
      attitude: 'Service attitude (optional)',
      efficiency: 'Efficiency (optional)',
      result: 'Result (optional)',
    },
    comment: 'Anything else you would like to tell us? (optional, up to 2000 characters)',
    optional: ' (optional)',
    yes: 'Yes',
    no: 'No',
    missingScore: 'Please choose a score from 1 to 5 first.',
    checkAnswers: 'Some answers could not be accepted; please check them and send again.',
    scored: 'Thank you, your score is recorded. Add a comment below if you like.',
    submit: 'Send',
    thanks: 'Thank you for your feedback!',
    invalid: 'This link is invalid or has expired; nothing was recorded.',
    answered: 'This survey was already answered, thank you! Nothing more was recorded.',
    unsubscribed: 'You are unsubscribed: we will not send follow-up messages to this address again.',
    confirmTitle: 'Is it solved?',
    confirmQuestion: 'We worked on the issue you raised. Is it solved?',
    solved: 'Solved',
    notSolved: 'Not solved',
    confirmThanks: 'Thank you for letting us know!',
    ticketTitle: 'Follow-up ticket',
    acknowledge: 'Acknowledge',
    resolve: 'Mark resolved',
    acknowledged: 'Acknowledged.',
    resolved: 'Marked resolved: the customer will be asked within 3 days whether it is solved.',
    ticketDone: 'This ticket was handled already; nothing was changed.',
  },
} as const;

/** Contrast: body text 16:1, the button 6.6:1, the focus ring 6.6:1 on white (WCAG AA and 2.2 focus appearance). */
const STYLE = [
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}',
  'h1{font-size:1.5rem;margin:.5rem 0 1rem}',
  'fieldset{border:0;padding:0;margin:0 0 1.5rem}',
  'legend{font-weight:600;margin-bottom:.5rem}',
  '.scale{display:grid;gap:.5rem}',
  '.nps{display:grid;grid-template-columns:repeat(6,1fr);gap:.5rem}',
  '@media (min-width:30rem){.nps{grid-template-columns:repeat(11,1fr)}}',
  '.opt{display:flex;align-items:center;gap:.5rem;min-height:2.75rem;padding:.25rem .75rem;border:1px solid #6b6b6b;border-radius:.5rem;cursor:pointer}',
  '.nps .opt{justify-content:center;padding:.25rem}',
  '.opt:has(input:checked){border:2px solid #0b5cad;background:#e8f0fa}',
  '.opt:focus-within,:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}',
  'input[type=radio]{width:1.25rem;height:1.25rem;margin:0}',
  '.hint{font-size:.875rem;color:#4a4a4a;margin:.25rem 0 0}',
  '.note{padding:.75rem;border-left:4px solid #1d7a35;background:#eef7f0}',
  '.error{padding:.75rem;border-left:4px solid #b00020;background:#fdecee}',
  '.text-q{display:block;font-weight:600;margin-bottom:.5rem}',
  'textarea{box-sizing:border-box;width:100%;min-height:8rem;font:inherit;padding:.5rem;border:1px solid #6b6b6b;border-radius:.5rem}',
  'button{font:inherit;min-height:2.75rem;padding:.75rem 1.5rem;border-radius:.5rem;border:0;background:#0b5cad;color:#fff;cursor:pointer}',
].join('');

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The answers a page shows as chosen: a recorded one-click score, or what a refused form carried. */
export interface SurveyValues {
  score?: number | undefined;
  nps?: number | undefined;
  attitude?: number | undefined;
  efficiency?: number | undefined;
  result?: number | undefined;
  comment?: string | undefined;
  /** The campaign's own questions, as the form sent them (by form field). */
  extra?: Record<string, string> | undefined;
}

export interface SurveyPageOptions {
  values?: SurveyValues;
  /** The campaign's own questions, after the built-in ones. */
  questions?: readonly ExtraQuestion[];
  /** Why the page is shown again: the one-click score was recorded, or the form was refused. */
  notice?: 'scored' | 'refused';
}

/** One radio group: a fieldset with a legend, each radio inside its own label (large touch target). */
function radioGroup(
  name: string,
  legend: string,
  options: readonly { value: number | string; label: string }[],
  opts: {
    chosen: number | string | undefined;
    required?: boolean;
    className: string;
    hint?: string;
  },
): string {
  const hintId = `${name}-hint`;
  const radios = options
    .map(({ value, label }) => {
      const id = `${name}-${value}`;
      const checked = opts.chosen !== undefined && String(opts.chosen) === String(value) ? ' checked' : '';
      const required = opts.required ? ' required' : '';
      return `<label class="opt" for="${id}"><input type="radio" id="${id}" name="${name}" value="${value}"${checked}${required}> ${escapeHtml(label)}</label>`;
    })
    .join('');
  const hint = opts.hint ? `<p class="hint" id="${hintId}">${escapeHtml(opts.hint)}</p>` : '';
  const describedBy = opts.hint ? ` aria-describedby="${hintId}"` : '';
  return `<fieldset${describedBy}><legend>${escapeHtml(legend)}</legend><div class="${opts.className}">${radios}</div>${hint}</fieldset>`;
}

/** The survey form (rulebook section 3): CSAT required; NPS, the three dimensions and the comment optional. */
export function surveyPage(locale: Locale, action: string, options: SurveyPageOptions = {}): string {
  const t = TEXT[locale];
  const values = options.values ?? {};
  const fivePoint = t.scale.map((label, i) => ({ value: i + 1, label: `${i + 1} - ${label}` }));
  const zeroToTen = Array.from({ length: 11 }, (_, value) => ({ value, label: String(value) }));
  const notice =
    options.notice === 'scored'
      ? `<p class="note" role="status">${escapeHtml(t.scored)}</p>`
      : options.notice === 'refused'
        ? `<p class="error" role="alert">${escapeHtml(values.score === undefined ? t.missingScore : t.checkAnswers)}</p>`
        : '';
  const dimensions = (['attitude', 'efficiency', 'result'] as const)
    .map((name) => radioGroup(name, t.dimensions[name], fivePoint, { chosen: values[name], className: 'scale' }))
    .join('');
  const form = [
    `<form method="post" action="${escapeHtml(action)}">`,
    radioGroup('score', `${t.question} *`, fivePoint, { chosen: values.score, required: true, className: 'scale' }),
    radioGroup('nps', t.nps, zeroToTen, { chosen: values.nps, className: 'nps', hint: t.npsEnds.join('; ') }),
    dimensions,
    (options.questions ?? []).map((q) => extraQuestion(locale, q, values.extra?.[`q-${q.id}`])).join(''),
    `<p><label class="text-q" for="comment">${escapeHtml(t.comment)}</label><textarea id="comment" name="comment" maxlength="2000">${escapeHtml(values.comment ?? '')}</textarea></p>`,
    `<button type="submit">${escapeHtml(t.submit)}</button></form>`,
  ].join('');
  return page(locale, t.title, `<h1>${escapeHtml(t.title)}</h1>${notice}<p>${escapeHtml(t.intro)}</p>${form}`);
}

/** A text in the page's locale, else in the other one (a campaign may write its questions in one language). */
function localized(text: LocalizedText, locale: Locale): string {
  return text[locale] ?? Object.values(text)[0] ?? '';
}

/** One of the campaign's own questions, built like the built-in ones; `q-<id>` is its form field. */
function extraQuestion(locale: Locale, question: ExtraQuestion, chosen: string | undefined): string {
  const t = TEXT[locale];
  const name = `q-${question.id}`;
  const legend = `${localized(question.label, locale)}${question.required ? ' *' : t.optional}`;
  const required = question.required;
  switch (question.type) {
    case 'rating':
      return radioGroup(
        name,
        legend,
        t.scale.map((label, i) => ({ value: i + 1, label: `${i + 1} - ${label}` })),
        { chosen, required, className: 'scale' },
      );
    case 'yes-no':
      return radioGroup(
        name,
        legend,
        [
          { value: 'yes', label: t.yes },
          { value: 'no', label: t.no },
        ],
        { chosen, required, className: 'scale' },
      );
    case 'choice':
      return radioGroup(
        name,
        legend,
        question.options.map((option, i) => ({ value: i + 1, label: localized(option, locale) })),
        { chosen, required, className: 'scale' },
      );
    case 'text':
      return `<p><label class="text-q" for="${name}">${escapeHtml(legend)}</label><textarea id="${name}" name="${name}" maxlength="${question.maxLength}"${required ? ' required' : ''}>${escapeHtml(chosen ?? '')}</textarea></p>`;
  }
}

/** The customer's answer to "is it solved?": two buttons, the one their e-mail link named first. */
export function confirmPage(locale: Locale, action: string): string {
  const t = TEXT[locale];
  const button = (answer: string, label: string) =>
    `<button type="submit" name="answer" value="${answer}" style="margin:0 .5rem .5rem 0">${escapeHtml(label)}</button>`;
  return page(
    locale,
    t.confirmTitle,
    `<h1>${escapeHtml(t.confirmTitle)}</h1><p>${escapeHtml(t.confirmQuestion)}</p><form method="post" action="${escapeHtml(action)}">${button('solved', t.solved)}${button('not-solved', t.notSolved)}</form>`,
  );
}

export interface TicketView {
  customerName: string;
  severity: string;
  status: string;
  reason: string;
  replyText: string;
  respondBy: string;
  owner: string;
}

/**
 * A manager's ticket page: what the customer said and the two actions, as buttons that POST (a mail
 * scanner that opens the link changes nothing).
 */
export function ticketPage(locale: Locale, action: string, view: TicketView): string {
  const t = TEXT[locale];
  const rows = (
    [
      ['Customer / 客户', view.customerName],
      ['Severity / 级别', view.severity],
      ['Status / 状态', view.status],
      ['Reason / 原因', view.reason],
      ['Respond by / 响应时限', view.respondBy],
      ['Owner / 负责人', view.owner],
    ] as const
  )
    .map(([label, value]) => `<tr><th scope="row" align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const button = (value: string, label: string) =>
    `<button type="submit" name="action" value="${value}" style="margin:0 .5rem .5rem 0">${escapeHtml(label)}</button>`;
  return page(
    locale,
    t.ticketTitle,
    `<h1>${escapeHtml(t.ticketTitle)}</h1><table>${rows}</table><blockquote>${escapeHtml(view.replyText)}</blockquote><form method="post" action="${escapeHtml(action)}">${button('acknowledge', t.acknowledge)}${button('resolve', t.resolve)}</form>`,
  );
}

export function messagePage(
  locale: Locale,
  kind: 'thanks' | 'invalid' | 'answered' | 'unsubscribed' | 'confirmThanks' | 'acknowledged' | 'resolved' | 'ticketDone',
  detail?: string,
): string {
  const t = TEXT[locale];
  const extra = detail ? `<p>${escapeHtml(detail)}</p>` : '';
  return page(locale, t.title, `<h1>${escapeHtml(t[kind])}</h1>${extra}`);
}
