import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignSchema } from '../../functions/core/schemas.js';
import {
  campaignStatus,
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  updateCampaignSettings,
} from '../../functions/core/use-cases/operate.js';
import { customer, type Harness, startHarness } from '../../local/harness.js';
import { LIFECYCLE_ARN } from '../../local/runtime.js';

// Rulebook-independent operations on the real lifecycle definition: pause, resume and cancel a campaign
// while its lifecycles are in flight. Nobody answers; the sends spread over the first hours.
const ids = Array.from({ length: 16 }, (_, i) => `op-${String(i).padStart(2, '0')}`);
/** The pause test's campaign: 150 customers, so that the pause lands while most of them are still in flight. */
const many = Array.from({ length: 150 }, (_, i) => `big-${String(i).padStart(3, '0')}`);
const SECOND = 1000;

const lifecyclesRunning = (h: Harness) =>
  [...h.runtime.engine.executions.values()].filter((e) => e.stateMachineArn === LIFECYCLE_ARN && e.status === 'RUNNING').length;

describe('pause and resume', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(
      many.map((id) => customer({ id })),
      // Five SMS a second: the sends queue for their slots, and a pause catches most of them unsent.
      {
        segments: { core: { channels: ['sms', 'email'], accountManagerTask: false } },
        sendRates: { smsPerSecond: 5, emailPerSecond: 5 },
      },
      Number.POSITIVE_INFINITY,
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('stops new sends within a second of virtual time, and resume sends every first touch once', async () => {
    // Prepare: all lifecycles started; wait for the fourth first touch
    for (const id of many) h.startLifecycle(id);
    const firstTouches = () => h.messages.filter((m) => m.kind === 'touch' && m.touch === 1);
    while (firstTouches().length < 10) await h.runtime.clock.sleepVirtual(100);

    // Act 1: pause; four virtual hours pass
    await pauseCampaign(h.runtime.operate, h.campaignId, 'template typo');
    const pausedAt = h.runtime.clock.now().getTime();
    await h.runtime.clock.sleepVirtual(4 * 3600 * SECOND);

    // Assess 1
    const sentAfterPause = h.messages.filter((m) => m.kind === 'touch' && Date.parse(m.sentAt) > pausedAt + SECOND);
    expect(sentAfterPause).toEqual([]);
    const holding = (await h.runtime.repo.listLifecycles(h.campaignId)).filter((l) => l.pausedToken);
    // The pause landed mid-campaign: most of it still to send, every one of those holding before its send.
    expect(holding.length).toBeGreaterThan(100);
    expect(firstTouches().length + holding.length).toBe(many.length);

    // Act 2: resume
    const resumed = await resumeCampaign(h.runtime.operate, h.campaignId);
    while (firstTouches().length < many.length) await h.runtime.clock.sleepVirtual(60 * SECOND);

    // Assess 2: every customer's first touch, once
    expect(resumed).toMatchObject({ changed: true, status: 'running' });
    expect(resumed.lifecycles).toBeGreaterThan(0);
    expect(
      firstTouches()
        .map((m) => m.customerId)
        .sort(),
    ).toEqual(many);
    expect((await h.runtime.repo.listLifecycles(h.campaignId)).filter((l) => l.pausedToken)).toEqual([]);
  });
});

describe('cancel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(
      ids.map((id) => customer({ id })),
      // One SMS a second: the sends queue for their slots, and a pause catches most of them unsent.
      {
        segments: { core: { channels: ['sms', 'email'], accountManagerTask: false } },
        sendRates: { smsPerSecond: 1, emailPerSecond: 1 },
      },
      Number.POSITIVE_INFINITY,
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('ends every lifecycle, records why, and sends nothing more', async () => {
    // Prepare
    for (const id of ids) h.startLifecycle(id);
    while (h.messages.filter((m) => m.kind === 'touch').length < 3) await h.runtime.clock.sleepVirtual(60 * SECOND);

    // Act
    const result = await cancelCampaign(h.runtime.operate, h.campaignId, 'wrong customer list');
    const sent = h.messages.length;
    await h.runtime.clock.sleepVirtual(6 * 3600 * SECOND);

    // Assess
    expect(result).toMatchObject({ changed: true, status: 'cancelled', lifecycles: ids.length });
    expect(lifecyclesRunning(h)).toBe(0);
    expect(h.messages.length).toBe(sent);
    const lifecycles = await h.runtime.repo.listLifecycles(h.campaignId);
    expect(lifecycles.map((l) => l.status)).toEqual(ids.map(() => 'cancelled'));
    expect(lifecycles[0]?.failure).toBe('campaign cancelled: wrong customer list');
    expect(await h.runtime.repo.getCampaign(h.campaignId)).toMatchObject({
      status: 'cancelled',
      statusReason: 'wrong customer list',
    });
  });
});

describe('a template changed while paused', () => {
  let h: Harness;
  const settings = {
    segments: { core: { channels: ['sms' as const, 'email' as const], accountManagerTask: false } },
    sendRates: { smsPerSecond: 1, emailPerSecond: 1 },
  };
  beforeAll(async () => {
    h = await startHarness(
      ids.map((id) => customer({ id, locale: 'en-US', timeZone: 'Asia/Shanghai' })),
      settings,
      Number.POSITIVE_INFINITY,
    );
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('goes out in every touch sent after the resume, and in none before', async () => {
    // Prepare: a few first touches out, then paused
    for (const id of ids) h.startLifecycle(id);
    const firstTouches = () => h.messages.filter((m) => m.kind === 'touch' && m.touch === 1);
    while (firstTouches().length < 3) await h.runtime.clock.sleepVirtual(100);
    await pauseCampaign(h.runtime.operate, h.campaignId, 'new wording');
    await h.runtime.clock.sleepVirtual(60 * SECOND);
    const sentBefore = firstTouches().length;

    // Act: new SMS wording, then resume
    const sms = {
      'en-US': 'Happy new year {{name}}! Rate us 1-5 (5 = great). Reply STOP to opt out',
      'zh-CN': '【{{brand}}】{{name}}新年好！请回复1-5打分。回复TD退订',
    };
    const updated = campaignSchema.parse({ id: h.campaignId, name: 'Test campaign', ...settings, templates: { sms } });
    const result = await updateCampaignSettings(h.runtime.operate, h.campaignId, updated);
    const status = await campaignStatus(h.runtime.operate, h.campaignId);
    await resumeCampaign(h.runtime.operate, h.campaignId);
    while (firstTouches().length < ids.length) await h.runtime.clock.sleepVirtual(60 * SECOND);

    // Assess
    expect(result.changed).toEqual(['templates']);
    expect(status.settingsUpdatedAt).not.toBeNull();
    const touches = firstTouches();
    expect(new Set(touches.map((m) => m.customerId)).size).toBe(ids.length);
    expect(touches.slice(0, sentBefore).every((m) => !m.body.startsWith('Happy new year'))).toBe(true);
    expect(touches.slice(sentBefore).length).toBeGreaterThan(0);
    expect(touches.slice(sentBefore).every((m) => m.body.startsWith('Happy new year Test Customer!'))).toBe(true);
  });
});
