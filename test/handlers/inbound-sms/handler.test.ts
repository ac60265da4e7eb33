import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildInboundSmsHandler } from '../../../functions/inbound-sms/handler.js';
import { FixedClock, InMemoryCampaignRepository, RecordingCallback } from '../../support/fakes/index.js';
import { CAMPAIGN_ID, lifecycleOf, NOW, seedCampaign, seedSentTouch } from '../../support/fixtures.js';
import { lambdaContext, silenceLogs, snsEvent, snsRecord } from '../../support/handlers.js';

const PHONE = '+8613800138000';
const key = { campaignId: CAMPAIGN_ID, customerId: 'C0001', touch: 1 };
const context = lambdaContext('inbound-sms');

let repo: InMemoryCampaignRepository;
let callback: RecordingCallback;
let handler: ReturnType<typeof buildInboundSmsHandler>;

function inbound(messageBody: string, inboundMessageId = 'inbound-1'): string {
  return JSON.stringify({
    originationNumber: PHONE,
    destinationNumber: '+12065550100',
    messageBody,
    inboundMessageId,
    previousPublishedMessageId: 'sns-message-1',
  });
}

beforeAll(() => {
  silenceLogs();
});

beforeEach(async () => {
  repo = new InMemoryCampaignRepository();
  callback = new RecordingCallback();
  handler = buildInboundSmsHandler({ repo, callback, clock: new FixedClock(NOW) });
  await seedCampaign(repo);
  await repo.createLifecycle(lifecycleOf({ status: 'contacted' }));
  await seedSentTouch(repo);
  repo.parkTaskToken(key, 'task-token-1');
});

describe('inbound SMS handler', () => {
  it('rejects malformed records with a reason and still records the good one in the same event', async () => {
    // Prepare
    const event = snsEvent(
      snsRecord('sns-bad-json', `not json from ${PHONE}`),
      snsRecord('sns-bad-shape', JSON.stringify({ messageBody: `TD ${PHONE}` })),
      snsRecord('sns-good', inbound('５')),
    );

    // Act
    const summary = await handler(event, context);

    // Assess
    expect(summary.recorded).toBe(1);
    expect(summary.rejected).toHaveLength(2);
    expect(summary.rejected[0]).toEqual({ snsMessageId: 'sns-bad-json', reason: 'message is not JSON' });
    expect(summary.rejected[1]?.snsMessageId).toBe('sns-bad-shape');
    expect(summary.rejected[1]?.reason).toContain('originationNumber');
    expect(summary.rejected[1]?.reason).toContain('inboundMessageId');
    expect(JSON.stringify(summary.rejected)).not.toContain('13800138000');
    expect((await repo.getTouch(key))?.reply).toMatchObject({ kind: 'score', value: 5, replyId: 'sms-inbound-1' });
    expect(callback.calls).toHaveLength(1);
  });

  it('takes the time SNS received the reply as the time of the reply', async () => {
    await handler(snsEvent(snsRecord('sns-1', inbound('4'), '2026-12-16T05:30:00.000Z')), context);

    expect((await repo.getTouch(key))?.repliedAt).toBe('2026-12-16T05:30:00.000Z');
  });

  it('puts the number on the suppression list when the customer replies 退订', async () => {
    await handler(snsEvent(snsRecord('sns-1', inbound('退订'))), context);

    expect(await repo.isSuppressed('sms', PHONE)).toBe(true);
  });

  it('matches a reply that names no message to the newest touch sent to that number', async () => {
    const message = JSON.stringify({ originationNumber: PHONE, messageBody: '3', inboundMessageId: 'inbound-9' });

    await handler(snsEvent(snsRecord('sns-1', message)), context);

    expect((await repo.getTouch(key))?.reply).toMatchObject({ value: 3 });
  });

  it('records a redelivered SNS message once', async () => {
    // Prepare
    const event = snsEvent(snsRecord('sns-1', inbound('5')));
    await handler(event, context);

    // Act
    const again = await handler(event, context);

    // Assess
    expect(again).toEqual({ recorded: 1, rejected: [] });
    expect(await repo.listReplies(CAMPAIGN_ID)).toHaveLength(1);
  });

  it('accepts an event with no records', async () => {
    expect(await handler(snsEvent(), context)).toEqual({ recorded: 0, rejected: [] });
  });
});
