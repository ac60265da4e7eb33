import { describe, expect, it } from 'vitest';
import { parseEmailReply, visibleTextOf } from '../../../functions/inbound-email/parse.js';
import { composeEmailReply } from '../../../local/inbound-events.js';

const OURS = '<0100019a1b2c3d4e-5f6a7b8c-0000-0000-0000-000000000000-000000@email.amazonses.com>';
const OUR_ID = '0100019a1b2c3d4e-5f6a7b8c-0000-0000-0000-000000000000-000000';

describe('visibleTextOf: what the customer wrote, without the quote and the signature', () => {
  it.each([
    [
      'Gmail, en-US',
      '4\n\nOn Wed, Dec 16, 2026 at 10:30 AM Revisit Shop <follow-up@shop.example> wrote:\n> Hi Ethan,\n> How did we do?\n',
      '4',
    ],
    ['iPhone signature', 'Delivery was late again.\n\nSent from my iPhone', 'Delivery was late again.'],
    [
      'Gmail / Apple Mail, zh-CN',
      '快递太慢了，希望改进\n\n在 2026年12月16日 周三 10:30，Revisit Shop <follow-up@shop.example> 写道：\n> 王芳您好\n',
      '快递太慢了，希望改进',
    ],
    [
      'QQ Mail, zh-CN',
      '5\n\n\n------------------ 原始邮件 ------------------\n发件人: "Revisit Shop" <follow-up@shop.example>;\n发送时间: 2026年12月16日(星期三) 上午10:30\n',
      '5',
    ],
    [
      'Outlook in Chinese',
      '退订\r\n\r\n发件人: Revisit Shop <follow-up@shop.example>\r\n发送时间: 2026年12月16日 10:30\r\n',
      '退订',
    ],
    ['a phone in Chinese', '服务很好，谢谢！\n\n发自我的iPhone\n', '服务很好，谢谢！'],
  ])('reads a reply from %s', (_client, text, expected) => {
    expect(visibleTextOf(text)).toBe(expected);
  });
});

describe('parseEmailReply', () => {
  it('finds the sender, the message answered and the visible text of a plain-text reply', async () => {
    // Prepare
    const raw = await composeEmailReply({
      from: '王芳 <Wang.Fang@Example.cn>',
      to: 'replies@in.shop.example',
      inReplyTo: OURS,
      subject: 'Re: 王芳，邀请您为我们的服务打分',
      text: '2 分，客服态度不好\n\n在 2026年12月16日 10:30，Revisit Shop 写道：\n> 王芳您好\n',
    });

    // Act
    const reply = await parseEmailReply(raw);

    // Assess
    expect(reply).toEqual({ from: 'Wang.Fang@example.cn', inReplyTo: [OUR_ID], text: '2 分，客服态度不好', automatic: null });
  });

  it('reads an HTML-only reply as text', async () => {
    const raw = await composeEmailReply({
      from: 'ethan@example.com',
      to: 'replies@in.shop.example',
      inReplyTo: OURS,
      subject: 'Re: how did we do?',
      html: '<div dir="ltr">5 &amp; thanks!</div><div class="gmail_quote">On Wed, Dec 16, 2026 at 10:30 AM Revisit Shop wrote:<blockquote>Hi</blockquote></div>',
    });

    expect((await parseEmailReply(raw)).text).toBe('5 & thanks!');
  });

  it('takes the subject of a new mail with no body ("unsubscribe" by mail)', async () => {
    const raw = await composeEmailReply({
      from: 'ethan@example.com',
      to: 'replies@in.shop.example',
      subject: 'unsubscribe',
      text: '',
    });

    expect(await parseEmailReply(raw)).toMatchObject({ text: 'unsubscribe', inReplyTo: [] });
  });

  it('reads an empty reply to our subject as empty, not as the subject', async () => {
    const raw = await composeEmailReply({
      from: 'ethan@example.com',
      to: 'r@x.example',
      subject: 'Re: how did we do?',
      text: '\n',
    });

    expect((await parseEmailReply(raw)).text).toBe('');
  });

  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }, 'Auto-Submitted: auto-replied'],
    [{ Precedence: 'auto_reply' }, 'Precedence: auto_reply'],
    [{ 'X-Autoreply': 'yes' }, 'out-of-office'],
  ])('marks an automatic reply (%o) as such', async (headers, reason) => {
    const raw = await composeEmailReply({
      from: 'ethan@example.com',
      to: 'r@x.example',
      subject: 'Out of office',
      text: 'I am away',
      headers,
    });

    expect((await parseEmailReply(raw)).automatic).toContain(reason);
  });

  it('marks a bounce from the mail system as automatic', async () => {
    const raw = await composeEmailReply({
      from: 'MAILER-DAEMON@mx.example.cn',
      to: 'r@x.example',
      subject: 'Undeliverable',
      text: 'x',
    });

    expect((await parseEmailReply(raw)).automatic).toBe('delivery report from the mail system');
  });
});
