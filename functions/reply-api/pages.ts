import type { Locale } from '../core/schemas.js';

const TEXT = {
  'zh-CN': {
    title: '满意度调查',
    question: '您对我们的服务满意吗？',
    scale: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
    comment: '还有什么想告诉我们的吗？（选填）',
    submit: '提交',
    thanks: '感谢您的反馈！',
    invalid: '此链接无效或已过期，您的回答未被记录。',
    unsubscribed: '您已退订，我们不会再向此地址发送回访消息。',
  },
  'en-US': {
    title: 'Satisfaction survey',
    question: 'How satisfied are you with our service?',
    scale: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    comment: 'Anything else you would like to tell us? (optional)',
    submit: 'Send',
    thanks: 'Thank you for your feedback!',
    invalid: 'This link is invalid or has expired; nothing was recorded.',
    unsubscribed: 'You are unsubscribed: we will not send follow-up messages to this address again.',
  },
} as const;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:0 auto;padding:1rem;color:#1a1a1a}fieldset{border:0;padding:0}label{display:block;padding:.5rem;margin:.25rem 0;border:1px solid #bbb;border-radius:.5rem}textarea{width:100%;min-height:6rem}button{font-size:1rem;padding:.75rem 1.5rem;border-radius:.5rem;border:0;background:#0b5cad;color:#fff}:focus-visible{outline:3px solid #f5a623}</style></head><body><main>${body}</main></body></html>`;
}

export function surveyPage(locale: Locale, action: string): string {
  const t = TEXT[locale];
  const options = t.scale
    .map(
      (label, i) => `<label><input type="radio" name="score" value="${i + 1}" required> ${i + 1} - ${escapeHtml(label)}</label>`,
    )
    .join('');
  return page(
    locale,
    t.title,
    `<h1>${t.title}</h1><form method="post" action="${escapeHtml(action)}"><fieldset><legend>${t.question}</legend>${options}</fieldset><p><label for="comment">${t.comment}</label><textarea id="comment" name="comment" maxlength="2000"></textarea></p><button type="submit">${t.submit}</button></form>`,
  );
}

export function messagePage(locale: Locale, kind: 'thanks' | 'invalid' | 'unsubscribed', detail?: string): string {
  const t = TEXT[locale];
  const extra = detail ? `<p>${escapeHtml(detail)}</p>` : '';
  return page(locale, t.title, `<h1>${t[kind]}</h1>${extra}`);
}
