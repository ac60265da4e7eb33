/** What a customer's reply means, before any scoring. */
export type ReplyMeaning =
  | { kind: 'score'; value: number; comment?: string }
  | { kind: 'optout'; value: string }
  | { kind: 'text'; value: string };

// Opt-out keywords: STOP and UNSUBSCRIBE (carriers' English convention), TD and 退订 (Chinese carriers').
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'TD', '退订', '退订短信']);

const FULLWIDTH_DIGITS = /[０-９]/g;
const TRAILING = /[\s.。!！]/u;

/**
 * The text without white space, full stops and exclamation marks at its end. A loop, not
 * /[\s.。!！]+$/: that regex tries every run of spaces inside the text to its end, which takes
 * quadratic time on a long reply.
 */
function withoutTrailingMarks(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING.test(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

/**
 * Reads an SMS (or e-mail) reply: a lone digit in the survey's scale is a score, an opt-out keyword
 * is an opt-out, anything else is free text. Full-width digits (common from Chinese keyboards) count.
 */
export function classifyReply(raw: string, scale: { min: number; max: number } = { min: 1, max: 5 }): ReplyMeaning {
  const text = raw
    .normalize('NFKC')
    .replace(FULLWIDTH_DIGITS, (d) => String(d.charCodeAt(0) - 0xff10))
    .trim();
  const bare = withoutTrailingMarks(text);
  if (OPT_OUT.has(bare.toUpperCase())) return { kind: 'optout', value: bare };
  if (/^\d{1,2}$/.test(bare)) {
    const value = Number(bare);
    if (value >= scale.min && value <= scale.max) return { kind: 'score', value };
  }
  // "2，物流太慢了" / "4 - great, but slow": a score in the scale, then a comment (kept as written).
  // A decimal ("1.5") is not a score and a comment. (One \s* before 分 and one after it, never two in a
  // row: two would split a run of spaces every possible way.)
  const scored = /^\d+[.,]\d/.test(text) ? null : /^(\d{1,2})\s*(?:分\s*)?[,，.。:：、;；\-–—]\s*(\S[\s\S]*)$/u.exec(text);
  if (scored) {
    const value = Number(scored[1]);
    const comment = raw.trim().replace(/^[0-9０-９]{1,2}\s*(?:分\s*)?[,，.。:：、;；\-–—]\s*/u, '');
    if (value >= scale.min && value <= scale.max) return { kind: 'score', value, comment };
  }
  // Free text is kept as the customer wrote it (NFKC is only for reading digits and keywords).
  return { kind: 'text', value: raw.trim() };
}
