import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildInboundEmailHandler } from '../../../functions/inbound-email/handler.js';
import { composeEmailReply, type EmailReplyDraft, emailReplyEvent } from '../../../local/inbound-events.js';
import { FixedClock, InMemoryCampaignRepository, RecordingCallback } from '../../support/fakes/index.js';
import { CAMPAIGN_ID, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../support/fixtures.js';
import { lambdaContext, silenceLogs } from '../../support/handlers.js';

const ADDRESS = 'wang.fang@example.cn';
const key = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 };
const context = lambdaContext('inbound-email');
const RECEIVED = '2026-12-16T04:00:00.000Z';

let repo: InMemoryCampaignRepository;
let callback: RecordingCallback;
let handler: ReturnType<typeof buildInboundEmailHandler>;

function reply(text: string, overrides: Partial<EmailReplyDraft> = {}): Promise<string> {
  return composeEmailReply({
    from: `王芳 <${ADDRESS}>`,
    to: 'replies@in.shop.example',
    inReplyTo: '<ses-1@email.amazonses.com>',
    subject: 'Re: 王芳，邀请您为我们的服务打分',
    text: `${text}\n\n在 2026年12月16日 10:30，Revisit Shop 写道：\n> 请点击一个分数\n`,
    ...overrides,
  });
}

beforeAll(() => {
  silenceLogs();
});

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  callback = new RecordingCallback();
  handler = buildInboundEmailHandler({ repo, callback, clock: new FixedClock(NOW) });
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ status: 'contacted' }));
  await seedSentTouch(repo, { channel: 'email', template: 'email/zh-CN', address: ADDRESS, messageId: 'ses-1' });
  repo.parkTaskToken(key, 'task-token-1');
});

describe('inbound e-mail handler', () => {
  it('reads a digit above the quote as the score of the touch it answers and resumes the lifecycle', async () => {
    // Act
    const summary = await handler(emailReplyEvent(await reply('４'), RECEIVED), context);

    // Assess
    expect(summary).toEqual({ recorded: 1, rejected: [] });
    expect((await repo.getTouch(key))?.reply).toMatchObject({ kind: 'score', value: 4 });
    expect(callback.calls).toEqual([{ taskToken: 'task-token-1', output: { kind: 'score', value: 4, touch: 1 } }]);
    expect(await repo.listReplies(CAMPAIGN_ID)).toEqual([
      expect.objectContaining({ channel: 'email', kind: 'score', value: 4, touch: 1, receivedAt: RECEIVED, late: false }),
    ]);
  });

  it('keeps free text without the quoted message', async () => {
    await handler(emailReplyEvent(await reply('快递太慢了'), RECEIVED), context);

    expect((await repo.getTouch(key))?.reply).toMatchObject({ kind: 'text', value: '快递太慢了' });
  });

  it('puts the address on the suppression list when the customer replies 退订', async () => {
    await handler(emailReplyEvent(await reply('退订'), RECEIVED), context);

    expect(await repo.isSuppressed('email', 'Wang.Fang@Example.cn')).toBe(true);
  });

  it("matches a reply that names no message of ours by the sender's address", async () => {
    await handler(emailReplyEvent(await reply('5', { inReplyTo: '<other@mail.example.cn>' }), RECEIVED), context);

    expect((await repo.getTouch(key))?.reply).toMatchObject({ kind: 'score', value: 5 });
  });

  it('stores a reply from an unknown address unmatched, never dropped', async () => {
    const summary = await handler(emailReplyEvent(await reply('5', { from: 'someone@else.example' }), RECEIVED), context);

    expect(summary.recorded).toBe(1);
    expect((await repo.getTouch(key))?.reply).toBeUndefined();
    expect(await repo.listReplies(CAMPAIGN_ID)).toEqual([]);
  });

  it('records an SES redelivery of the same message once', async () => {
    const event = emailReplyEvent(await reply('5'), RECEIVED);

    await handler(event, context);
    await handler(event, context);

    expect(await repo.listReplies(CAMPAIGN_ID)).toEqual([expect.objectContaining({ late: false, resumed: true })]);
    expect((await repo.getTouch(key))?.reply).toMatchObject({ kind: 'score', value: 5 });
  });

  it('reads a BASE64-encoded notification', async () => {
    const event = emailReplyEvent(Buffer.from(await reply('5')).toString('base64'), RECEIVED);
    const message = JSON.parse(event.Records[0]?.Sns.Message ?? '');
    message.receipt.action.encoding = 'BASE64';
    const record = event.Records[0];
    if (record) record.Sns.Message = JSON.stringify(message);

    expect(await handler(event, context)).toEqual({ recorded: 1, rejected: [] });
  });

  it('rejects spam, viruses, DMARC failures, automatic replies and empty replies with a reason, and records the good one', async () => {
    // Prepare
    const good = emailReplyEvent(await reply('5'), RECEIVED);
    const bad = [
      emailReplyEvent(await reply('5'), RECEIVED, { spam: 'FAIL' }),
      emailReplyEvent(await reply('5'), RECEIVED, { virus: 'FAIL' }),
      emailReplyEvent(await reply('5'), RECEIVED, { dmarc: 'FAIL' }),
      emailReplyEvent(await reply('I am out of office', { headers: { 'Auto-Submitted': 'auto-replied' } }), RECEIVED),
      emailReplyEvent(await reply(''), RECEIVED),
    ];
    const notJson = emailReplyEvent('x', RECEIVED);
    const notJsonRecord = notJson.Records[0];
    if (notJsonRecord) notJsonRecord.Sns.Message = '{';
    const noContent = emailReplyEvent('x', RECEIVED);
    const noContentRecord = noContent.Records[0];
    if (noContentRecord)
      noContentRecord.Sns.Message = JSON.stringify({ ...JSON.parse(noContentRecord.Sns.Message), content: '' });

    // Act
    const summary = await handler({ Records: [...bad, notJson, noContent, good].flatMap((event) => event.Records) }, context);

    // Assess
    expect(summary.recorded).toBe(1);
    expect(summary.rejected.map((r) => r.reason)).toEqual([
      'SES spam check failed',
      'SES virus check failed',
      'SES dmarc check failed',
      'automatic message (Auto-Submitted: auto-replied)',
      'the reply is empty',
      'message is not JSON',
      expect.stringContaining('no message content'),
    ]);
    expect(await repo.listReplies(CAMPAIGN_ID)).toHaveLength(1);
  });
});
