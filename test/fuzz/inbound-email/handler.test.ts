import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildInboundEmailHandler,
  MAX_EMAIL_CONTENT_CHARACTERS,
  MAX_REPLY_CHARACTERS,
} from '../../../functions/inbound-email/handler.js';
import { composeEmailReply, emailReplyEvent } from '../../../local/inbound-events.js';
import { FixedClock, InMemoryCampaignRepository, RecordingCallback } from '../../support/fakes/index.js';
import { lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../support/fixtures.js';
import { lambdaContext, silenceLogs } from '../../support/handlers.js';

/*
 * Inbound e-mail as SES receiving publishes it, with raw messages made to break a MIME reader (header
 * soup, broken encodings, lone boundaries, NULs, HTML only, huge), and replies over the size limits.
 */

const SEED = 20_261_220;
const ADDRESS = 'wang.fang@example.cn';
const context = lambdaContext('inbound-email');

beforeAll(() => {
  silenceLogs();
});

async function freshHandler() {
  const repo = new InMemoryCampaignRepository();
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ status: 'contacted' }));
  const key = await seedSentTouch(repo, { channel: 'email', template: 'email/zh-CN', address: ADDRESS, messageId: 'ses-1' });
  repo.parkTaskToken(key, 'task-token-1');
  return {
    repo,
    key,
    handler: buildInboundEmailHandler({ repo, callback: new RecordingCallback(), clock: new FixedClock(NOW) }),
  };
}

const line = fc.oneof(
  fc.constantFrom(
    `From: 王芳 <${ADDRESS}>`,
    'From: =?utf-8?B?broken?= <>',
    'From:',
    'In-Reply-To: <ses-1@email.amazonses.com>',
    'References: <<<>>>',
    'Subject: =?gb2312?Q?=C4=FA=BA=C3?=',
    'Content-Type: multipart/alternative; boundary="b"',
    'Content-Type: text/html; charset=unknown-8bit',
    'Content-Transfer-Encoding: base64',
    'Content-Transfer-Encoding: quoted-printable',
    '--b',
    '--b--',
    'Auto-Submitted: auto-replied',
    '',
    '<html><body><script>alert(1)</script><p>很好</p>',
    '=E4=BD=A0=',
    '5',
    '> quoted',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);
const rawMessage = fc.array(line, { maxLength: 20 }).map((lines) => lines.join('\r\n'));

describe('inbound e-mail handler on generated messages', () => {
  it('never throws on a raw message of any shape: it records it or says why not', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(rawMessage, fc.constantFrom(NOW, 'not a time'), async (raw, at) => {
        // Prepare
        const { repo, handler } = await freshHandler();

        // Act
        const summary = await handler(emailReplyEvent(raw === '' ? ' ' : raw, at), context);

        // Assess
        expect(summary.recorded + summary.rejected.length).toBe(1);
        for (const rejection of summary.rejected) expect(rejection.reason.length).toBeGreaterThan(0);
        for (const reply of repo.replies.values()) expect(new Date(reply.receivedAt).toISOString()).toBe(reply.receivedAt);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('refuses content over 256 KB with a reason naming the limit, and records nothing', async () => {
    const { repo, handler } = await freshHandler();
    const raw = await composeEmailReply({
      from: ADDRESS,
      to: 'r@in.example',
      subject: 'Re: x',
      text: 'x'.repeat(MAX_EMAIL_CONTENT_CHARACTERS),
    });

    const summary = await handler(emailReplyEvent(raw, NOW), context);

    expect(summary.rejected.map((r) => r.reason)).toEqual(['content: over 256 KB: SES publishes no message that large']);
    expect(repo.replies.size).toBe(0);
  });

  it('keeps the first 5,000 characters of a longer reply and says that the rest was cut', async () => {
    // Prepare
    const { repo, key, handler } = await freshHandler();
    const text = `物流太慢了。${'长'.repeat(MAX_REPLY_CHARACTERS)}`;
    const raw = await composeEmailReply({
      from: ADDRESS,
      to: 'r@in.example',
      inReplyTo: '<ses-1@email.amazonses.com>',
      subject: 'Re: x',
      text,
    });

    // Act
    const summary = await handler(emailReplyEvent(raw, NOW), context);

    // Assess
    expect(summary).toEqual({ recorded: 1, rejected: [] });
    const kept = (await repo.getTouch(key))?.reply?.value;
    expect(kept).toBe(`${text.slice(0, MAX_REPLY_CHARACTERS)}… [6 more characters not kept]`);
  });
});
