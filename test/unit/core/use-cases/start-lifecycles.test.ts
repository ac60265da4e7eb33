import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionNameOf } from '../../../../functions/core/execution-names.js';
import { PAGE_SIZE, startLifecycles } from '../../../../functions/core/use-cases/start-lifecycles.js';
import { InMemoryCampaignRepository, RecordingStarter } from '../../../support/fakes/index.js';
import { CAMPAIGN_ID, customerOf, seedCampaign } from '../../../support/fixtures.js';

const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

describe('executionNameOf', () => {
  it('names a plain customer after the campaign and the customer', () => {
    expect(executionNameOf('spring-2027', 'C0001')).toBe('spring-2027-C0001');
  });

  it.each([
    ['Chinese characters', '张三'],
    ['spaces', 'Wang Fang'],
    ['slashes and dots', 'acme/branch.01'],
    ['an emoji', 'C0001🎉'],
    ['the longest id', 'x'.repeat(64)],
    ['a long id with symbols', `${'é'.repeat(40)}:${'#'.repeat(23)}`],
  ])('makes a valid Step Functions execution name of an id with %s', (_what, customerId) => {
    const name = executionNameOf('spring-festival-2027-long-campaign-id-40', customerId);

    expect(name).toMatch(EXECUTION_NAME);
    expect(name.length).toBeLessThanOrEqual(80);
  });

  it('gives the same customer the same name every time', () => {
    expect(executionNameOf(CAMPAIGN_ID, '张三')).toBe(executionNameOf(CAMPAIGN_ID, '张三'));
  });

  it('gives distinct customers distinct names, even when their ids clean up alike', () => {
    // Prepare
    const ids = ['张三', '李四', 'Wang Fang', 'Wang_Fang', 'Wang-Fang', 'Wang.Fang', `${'y'.repeat(63)}a`, `${'y'.repeat(63)}b`];

    // Act
    const names = ids.map((id) => executionNameOf('spring-festival-2027-long-campaign-id-40', id));

    // Assess
    expect(new Set(names).size).toBe(ids.length);
  });
});

describe('executionNameOf, for any customer ids', () => {
  const customerId = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 });

  it('always makes a valid execution name', () => {
    fc.assert(
      fc.property(customerId, (id) => EXECUTION_NAME.test(executionNameOf('spring-festival-2027-long-campaign-id-40', id))),
      { numRuns: 300 },
    );
  });

  it('never gives two distinct ids the same name', () => {
    fc.assert(
      fc.property(
        customerId,
        customerId,
        (a, b) => a === b || executionNameOf(CAMPAIGN_ID, a) !== executionNameOf(CAMPAIGN_ID, b),
      ),
      { numRuns: 300 },
    );
  });
});

describe('startLifecycles', () => {
  let repo: InMemoryCampaignRepository;
  let starter: RecordingStarter;

  beforeEach(() => {
    repo = new InMemoryCampaignRepository();
    starter = new RecordingStarter();
  });

  it('starts a page of lifecycles at a time, 20 at once, and returns only the cursor to the next page', async () => {
    // Prepare
    const customers = Array.from({ length: PAGE_SIZE + 1 }, (_, i) => customerOf({ id: `C${String(i).padStart(4, '0')}` }));
    await seedCampaign(repo, { customers });

    // Act
    const first = await startLifecycles({ repo, starter }, { campaignId: CAMPAIGN_ID, cursor: null });
    const second = await startLifecycles({ repo, starter }, { campaignId: CAMPAIGN_ID, cursor: first.nextCursor });

    // Assess
    expect(PAGE_SIZE).toBe(1000);
    expect(first).toMatchObject({ started: 1000, alreadyStarted: 0 });
    expect(first.nextCursor).not.toBeNull();
    expect(second).toMatchObject({ started: 1, nextCursor: null });
    expect(starter.started).toHaveLength(1001);
    expect(new Set(starter.started).size).toBe(1001);
    expect(starter.started[0]).toBe(`${CAMPAIGN_ID}/C0000`);
    expect(starter.mostInFlight).toBe(20);
    expect(JSON.stringify(first).length).toBeLessThan(500);
  });

  it('counts the lifecycles a page started before (a retried page) apart', async () => {
    // Prepare
    await seedCampaign(repo, { customers: [customerOf({ id: 'A' }), customerOf({ id: 'B' })] });
    starter.ended.add('A');

    // Act
    const page = await startLifecycles({ repo, starter }, { campaignId: CAMPAIGN_ID, cursor: null });

    // Assess
    expect(page).toMatchObject({ started: 1, alreadyStarted: 1 });
    expect(starter.started).toEqual([`${CAMPAIGN_ID}/B`]);
  });

  it('starts nobody and ends the fan-out once the campaign is cancelled', async () => {
    // Prepare
    await seedCampaign(repo, { customers: [customerOf({ id: 'A' })] });
    const record = await repo.getCampaign(CAMPAIGN_ID);
    await repo.putCampaign({ ...(record as NonNullable<typeof record>), status: 'cancelled' });

    // Act
    const page = await startLifecycles({ repo, starter }, { campaignId: CAMPAIGN_ID, cursor: null });

    // Assess
    expect(page).toMatchObject({ started: 0, nextCursor: null, nextDay: null });
    expect(starter.started).toEqual([]);
  });

  it('starts each customer on the launch day of their booked first touch, and chains the days of the window', async () => {
    // Prepare: touches booked on the first morning in Shanghai (01:00 UTC) and that evening in New York
    // (00:30 UTC, the next UTC day)
    const booked = (id: string, sendAt: string) => customerOf({ id, plannedFirstTouch: { channel: 'sms', sendAt } });
    await seedCampaign(repo, {
      customers: [
        booked('SH', '2026-12-16T09:00:00+08:00'),
        booked('NY', '2026-12-16T19:30:00-05:00'),
        customerOf({ id: 'UNREACHABLE' }),
      ],
    });
    const start = async (day: string | null) => {
      const before = starter.started.length;
      const page = await startLifecycles({ repo, starter }, { campaignId: CAMPAIGN_ID, cursor: null, day });
      return { ...page, ids: starter.started.slice(before).map((s) => s.split('/')[1]) };
    };

    // Act
    const first = await start(null);
    const dec16 = await start('2026-12-16');
    const dec17 = await start('2026-12-17');
    const last = await start('2027-01-21');

    // Assess
    expect(first).toMatchObject({ ids: ['UNREACHABLE'], day: '0000-00-00', nextDay: '2026-12-15' });
    expect(dec16).toMatchObject({ ids: ['SH'], nextDay: '2026-12-17', nextDayAt: '2026-12-16T23:00:00.000Z' });
    expect(dec17.ids).toEqual(['NY']);
    expect(last).toMatchObject({ ids: [], nextDay: null, nextDayAt: null });
  });
});
