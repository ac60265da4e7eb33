import 'aws-sdk-client-mock-vitest/extend';
import {
  InternalErrorException,
  InvalidParameterException,
  OptedOutException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import type { OutboundSms } from '../../functions/core/ports/index.js';
import { CAMPAIGN_ID } from '../support/fixtures.js';

const sns = mockClient(SNSClient);
const client = new SNSClient({ region: 'ap-northeast-1' });

const message: OutboundSms = {
  to: '+8613800138000',
  body: '【Revisit Shop】王芳您好，请回复1-5为我们的服务打分。回复TD退订',
  reference: {
    campaignId: CAMPAIGN_ID,
    customerId: 'C0001',
    touch: 1,
    template: 'sms/zh-CN',
    timeZone: 'Asia/Shanghai',
    kind: 'touch',
  },
};

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
});

describe('SnsSmsSender', () => {
  it('publishes a transactional SMS from the configured origination number and sender id', async () => {
    // Prepare
    const sender = new SnsSmsSender(client, { originationNumber: '+12065550100', senderId: 'REVISIT' });

    // Act
    const result = await sender.sendSms(message);

    // Assess
    expect(result).toEqual({ messageId: 'sns-message-1' });
    expect(sns).toHaveReceivedCommandOnce(PublishCommand);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toStrictEqual({
      PhoneNumber: '+8613800138000',
      Message: message.body,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'REVISIT' },
        'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+12065550100' },
      },
    });
  });

  it('sets neither sender id nor origination number when none is configured', async () => {
    const sender = new SnsSmsSender(client, {});

    await sender.sendSms(message);

    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      PhoneNumber: '+8613800138000',
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
  });

  it.each([
    [
      'SNS throttling',
      'ProviderThrottledError',
      () => new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'an HTTP 429',
      'ProviderThrottledError',
      () => Object.assign(new Error('slow down'), { name: 'SomethingElse', $metadata: { httpStatusCode: 429 } }),
    ],
    [
      'an SNS internal error',
      'TransientError',
      () => new InternalErrorException({ message: 'boom', $metadata: { httpStatusCode: 500 } }),
    ],
    [
      'an HTTP 503',
      'TransientError',
      () => Object.assign(new Error('unavailable'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } }),
    ],
  ])('turns %s into a %s that the state machine retries', async (_what, name, failure) => {
    // Prepare
    sns.on(PublishCommand).rejects(failure());
    const sender = new SnsSmsSender(client, {});

    // Act
    const attempt = sender.sendSms(message);

    // Assess
    await expect(attempt).rejects.toMatchObject({ name });
  });

  it('passes on an error a retry cannot fix, unchanged', async () => {
    const invalid = new InvalidParameterException({
      message: 'Invalid parameter: PhoneNumber',
      $metadata: { httpStatusCode: 400 },
    });
    sns.on(PublishCommand).rejects(invalid);

    await expect(new SnsSmsSender(client, {}).sendSms(message)).rejects.toBe(invalid);
  });

  it('reports a number that opted out at SNS as a suppressed recipient', async () => {
    sns
      .on(PublishCommand)
      .rejects(new OptedOutException({ message: 'Phone number is opted out', $metadata: { httpStatusCode: 400 } }));

    await expect(new SnsSmsSender(client, {}).sendSms(message)).rejects.toMatchObject({ name: 'RecipientSuppressedError' });
  });

  it('fails with a TransientError when SNS returns no message id', async () => {
    sns.on(PublishCommand).resolves({});

    await expect(new SnsSmsSender(client, {}).sendSms(message)).rejects.toMatchObject({ name: 'TransientError' });
  });
});
