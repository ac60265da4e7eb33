import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { ProviderThrottledError, RecipientSuppressedError, TransientError } from '../core/errors.js';
import type { OutboundSms, SmsSender } from '../core/ports/index.js';

export interface SnsSmsOptions {
  /** A two-way enabled origination number, so replies name the message they answer. */
  originationNumber?: string | undefined;
  senderId?: string | undefined;
}

/** SMS through SNS Publish to a phone number, transactional. */
export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly client: SNSClient,
    private readonly options: SnsSmsOptions,
  ) {}

  async sendSms(message: OutboundSms): Promise<{ messageId: string }> {
    const attributes: NonNullable<ConstructorParameters<typeof PublishCommand>[0]['MessageAttributes']> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.options.senderId) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.options.senderId };
    if (this.options.originationNumber) {
      attributes['AWS.MM.SMS.OriginationNumber'] = { DataType: 'String', StringValue: this.options.originationNumber };
    }
    try {
      const result = await this.client.send(
        new PublishCommand({ PhoneNumber: message.to, Message: message.body, MessageAttributes: attributes }),
      );
      if (!result.MessageId) throw new TransientError('SNS returned no message id');
      return { messageId: result.MessageId };
    } catch (error) {
      // The number opted out at SNS itself (replied STOP to an AWS number): suppressed, not a failure.
      if ((error as { name?: string }).name === 'OptedOutException')
        throw new RecipientSuppressedError('the number opted out at SNS');
      throw translateProviderError(error);
    }
  }
}

export function translateProviderError(error: unknown): unknown {
  const name = (error as { name?: string }).name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  if (/Throttl|TooManyRequests|LimitExceeded/i.test(name) || status === 429) {
    return new ProviderThrottledError(`provider throttled: ${name}`);
  }
  if (status >= 500 || /InternalError|ServiceUnavailable/i.test(name)) return new TransientError(`provider unavailable: ${name}`);
  return error;
}
