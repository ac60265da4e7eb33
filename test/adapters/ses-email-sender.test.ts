import 'aws-sdk-client-mock-vitest/extend';
import {
  InternalServiceErrorException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesEmailSender } from '../../functions/adapters/ses-email-sender.js';
import type { OutboundEmail } from '../../functions/core/ports/index.js';
import { CAMPAIGN_ID } from '../support/fixtures.js';

const ses = mockClient(SESv2Client);
const sender = new SesEmailSender(new SESv2Client({ region: 'ap-northeast-1' }), {
  fromAddress: 'Revisit Shop <care@revisit.example.com>',
  configurationSetName: 'revisit-events',
});

const message: OutboundEmail = {
  to: 'wang.fang@example.cn',
  subject: 'Revisit Shop：王芳，邀请您为我们的服务打分',
  text: '王芳您好：\n请打分：https://revisit.example.com/s/abc.def',
  html: '<p>王芳您好：</p>',
  unsubscribeUrl: 'https://revisit.example.com/u/ghi.jkl',
  reference: {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    touch: 1,
    template: 'email/zh-CN',
    timeZone: 'Asia/Shanghai',
    kind: 'touch',
  },
};

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
});

describe('SesEmailSender', () => {
  it('sends text and HTML parts with one-click unsubscribe headers through the configuration set', async () => {
    // Act
    const result = await sender.sendEmail(message);

    // Assess
    expect(result).toEqual({ messageId: 'ses-message-1' });
    expect(ses).toHaveReceivedCommandOnce(SendEmailCommand);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toStrictEqual({
      FromEmailAddress: 'Revisit Shop <care@revisit.example.com>',
      Destination: { ToAddresses: ['wang.fang@example.cn'] },
      ConfigurationSetName: 'revisit-events',
      EmailTags: [
        { Name: 'campaign', Value: CAMPAIGN_ID },
        { Name: 'template', Value: 'email_zh-CN' },
      ],
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://revisit.example.com/u/ghi.jkl>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    });
  });

  it('sends replies to the configured receiving address', async () => {
    const replying = new SesEmailSender(new SESv2Client({ region: 'eu-west-1' }), {
      fromAddress: 'care@revisit.example.com',
      configurationSetName: 'revisit',
      replyToAddress: 'replies@in.revisit.example.com',
    });

    await replying.sendEmail(message);

    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, { ReplyToAddresses: ['replies@in.revisit.example.com'] });
  });

  it('attaches files as SES v2 attachments', async () => {
    await sender.sendEmail({
      ...message,
      unsubscribeUrl: null,
      attachments: [{ fileName: 'report.html', contentType: 'text/html', content: '<p>报告</p>' }],
    });

    const simple = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple;
    expect(simple?.Attachments).toEqual([
      {
        FileName: 'report.html',
        ContentType: 'text/html',
        ContentDisposition: 'ATTACHMENT',
        RawContent: Buffer.from('<p>报告</p>', 'utf8'),
      },
    ]);
  });

  it('adds no unsubscribe headers to a message without an unsubscribe link', async () => {
    await sender.sendEmail({ ...message, unsubscribeUrl: null, reference: { ...message.reference, kind: 'escalation' } });

    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Headers).toBeUndefined();
  });

  it('keeps message tags to the characters SES allows', async () => {
    await sender.sendEmail({
      ...message,
      reference: { ...message.reference, campaignId: 'spring festival/2027', template: 'email/zh-CN' },
    });

    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      EmailTags: [
        { Name: 'campaign', Value: 'spring_festival_2027' },
        { Name: 'template', Value: 'email_zh-CN' },
      ],
    });
  });

  it.each([
    [
      'SES throttling',
      'ProviderThrottledError',
      () => new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: { httpStatusCode: 429 } }),
    ],
    [
      'an SES internal error',
      'TransientError',
      () => new InternalServiceErrorException({ message: 'boom', $metadata: { httpStatusCode: 500 } }),
    ],
  ])('turns %s into a %s', async (_what, name, failure) => {
    ses.on(SendEmailCommand).rejects(failure());

    await expect(sender.sendEmail(message)).rejects.toMatchObject({ name });
  });

  it('passes on a rejected message unchanged', async () => {
    const rejected = new MessageRejected({ message: 'Email address is not verified', $metadata: { httpStatusCode: 400 } });
    ses.on(SendEmailCommand).rejects(rejected);

    await expect(sender.sendEmail(message)).rejects.toBe(rejected);
  });

  it('fails with a TransientError when SES returns no message id', async () => {
    ses.on(SendEmailCommand).resolves({});

    await expect(sender.sendEmail(message)).rejects.toMatchObject({ name: 'TransientError' });
  });
});
