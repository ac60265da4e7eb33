import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, type Harness, startHarness } from '../../local/harness.js';

// Rulebook section 1, the no-response rule of each tier, on the real lifecycle definition: nobody answers.
// Spends are chosen so that the tiers come out as named (diamond: the top 20% of revenue, gold: up to 50%,
// silver: two or more orders, basic: the rest).
const filler = Array.from({ length: 8 }, (_, i) => customer({ id: `filler-${i}`, spend12m: 20_000 }));
let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    [
      customer({ id: 'diamond', spend12m: 300_000, accountManager: 'am.diamond@example.com' }),
      customer({ id: 'gold', spend12m: 250_000 }),
      customer({ id: 'silver', spend12m: 20_000, orders12m: 5 }),
      customer({ id: 'basic', spend12m: 20_000, orders12m: 1 }),
      ...filler,
    ],
    // SMS first for everyone, and no call task with the first touch, so that each rule's effect stands alone.
    { segments: { core: { channels: ['sms', 'email'], accountManagerTask: false } } },
  );
});
afterAll(async () => {
  await h?.stop();
});

async function silence(customerId: string) {
  const execution = h.startLifecycle(customerId);
  await execution.result;
  const lifecycle = await h.runtime.repo.getLifecycle(h.campaignId, customerId);
  const messages = h.messages.filter((m) => m.customerId === customerId);
  return { execution, lifecycle, messages };
}

describe('no-response rules on the local engine', () => {
  it('diamond: two unanswered touches, then a call task for the account manager', async () => {
    const { lifecycle, messages } = await silence('diamond');

    expect(lifecycle).toMatchObject({ tier: 'diamond', outcome: 'no-response', noResponseRule: 'account-manager-task' });
    expect(messages.map((m) => `${m.kind} ${m.touch} ${m.channel}`)).toEqual([
      'touch 1 sms',
      'touch 2 email',
      'account-manager-task 2 email',
    ]);
    expect(messages[2]?.to).toBe('am.diamond@example.com');
  });

  it('gold: one unanswered touch, then an SMS care follow-up that asks nothing', async () => {
    const { lifecycle, messages, execution } = await silence('gold');

    expect(lifecycle).toMatchObject({ tier: 'gold', outcome: 'no-response', noResponseRule: 'sms-care-follow-up' });
    expect(messages.map((m) => `${m.kind} ${m.touch} ${m.template}`)).toEqual(['touch 1 sms/zh-CN', 'touch 2 care-sms/zh-CN']);
    expect(messages[1]?.body).toContain('新春将至');
    expect(execution.visited).not.toContain('PlanRecontact');
  });

  it('silver: two unanswered touches, then a downgrade to basic', async () => {
    const { lifecycle, messages } = await silence('silver');

    expect(lifecycle).toMatchObject({ tier: 'silver', noResponseRule: 'downgrade-to-basic', downgradedTo: 'basic' });
    expect(messages.map((m) => m.touch)).toEqual([1, 2]);
  });

  it('basic: one unanswered touch, then nothing more this campaign', async () => {
    const { lifecycle, messages } = await silence('basic');

    expect(lifecycle).toMatchObject({ tier: 'basic', noResponseRule: 'stop', downgradedTo: null });
    expect(messages.map((m) => m.touch)).toEqual([1]);
  });
});
