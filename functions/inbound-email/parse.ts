import EmailReplyParser from 'email-reply-parser';
import { convert as htmlToText } from 'html-to-text';
import PostalMime from 'postal-mime';

/** An e-mail reply, read: who sent it, which of our messages it answers, what they wrote above the quote. */
export interface ParsedEmailReply {
  from: string | null;
  /** The message ids it names (In-Reply-To first, then References, newest first): ours are among them. */
  inReplyTo: string[];
  /** What the customer wrote, without the quoted message and the signature. */
  text: string;
  /** Why this is an automatic message (out-of-office, bounce), or null for a person's reply. */
  automatic: string | null;
}

/**
 * Quote separators and signatures of Chinese mail clients that email-reply-parser does not know (it knows
 * "在 … 写道：" of Gmail and Apple Mail): QQ Mail and Foxmail put "原始邮件" above the quote, Outlook in
 * Chinese "发件人:", phones "发自我的…".
 */
const ZH_CUTS = [/^-{2,}\s*原始邮件\s*-{2,}\s*$/m, /^\s*发件人[:：]/m, /^\s*发自我的/m, /^\s*从我的.+发送\s*$/m];

/** `<id@host>` of a Message-ID header, as our id: SES's SendEmail MessageId is the part before the @. */
function messageIdsOf(header: string | undefined): string[] {
  return [...(header ?? '').matchAll(/<([^<>@\s]+)@[^<>\s]+>/g)].map((m) => m[1] ?? '').filter(Boolean);
}

function automaticReason(headers: { key: string; value: string }[], from: string | null): string | null {
  const header = (key: string) =>
    headers
      .find((h) => h.key === key)
      ?.value.trim()
      .toLowerCase();
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return `automatic message (Auto-Submitted: ${autoSubmitted})`;
  const precedence = header('precedence');
  if (precedence && ['auto_reply', 'bulk', 'junk', 'list'].includes(precedence))
    return `automatic message (Precedence: ${precedence})`;
  if (header('x-autoreply') || header('x-autorespond')) return 'automatic message (out-of-office reply)';
  if (from && /^(mailer-daemon|postmaster)@/i.test(from)) return 'delivery report from the mail system';
  return null;
}

/** The customer's own words: the visible text of the reply, cut above any quote of our message. */
export function visibleTextOf(text: string): string {
  let visible = new EmailReplyParser().parseReply(text.replace(/\r\n?/g, '\n'));
  for (const cut of ZH_CUTS) {
    const at = visible.search(cut);
    if (at >= 0) visible = visible.slice(0, at);
  }
  return visible.trim();
}

/**
 * Reads a raw RFC 5322 message (as SES receiving delivers it) with postal-mime. An HTML-only message is
 * turned into text with html-to-text.
 */
export async function parseEmailReply(raw: string | ArrayBuffer): Promise<ParsedEmailReply> {
  const email = await PostalMime.parse(raw);
  const from = email.from?.address?.trim() || null;
  const body = email.text ?? (email.html ? htmlToText(email.html, { wordwrap: false }) : '');
  let text = visibleTextOf(body);
  // A mail of its own (not a reply to ours) with an empty body: its subject is the message, as in a
  // mail-to "unsubscribe". An empty reply to our subject says nothing.
  const subject = (email.subject ?? '').trim();
  if (text === '' && !/^(re|aw|fw|fwd|回复|答复|转发)\s*[:：]/i.test(subject)) text = subject;
  return {
    from,
    inReplyTo: [...new Set([...messageIdsOf(email.inReplyTo), ...messageIdsOf(email.references).reverse()])],
    text,
    automatic: automaticReason(email.headers, from),
  };
}
