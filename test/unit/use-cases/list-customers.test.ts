import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionNameOf, listCustomers, PAGE_SIZE } from '../../../functions/core/use-cases/list-customers.js';
import { InMemoryCampaignRepository } from '../fakes.js';
import { CAMPAIGN_ID, customerOf, seedCampaign } from '../fixtures.js';

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

describe('listCustomers', () => {
  let repo: InMemoryCampaignRepository;

  beforeEach(() => {
    repo = new InMemoryCampaignRepository();
  });

  it('lists customers a page at a time with their execution names', async () => {
    // Prepare
    const customers = Array.from({ length: PAGE_SIZE + 1 }, (_, i) => customerOf({ id: `C${String(i).padStart(4, '0')}` }));
    await seedCampaign(repo, { customers });

    // Act
    const first = await listCustomers({ repo }, { campaignId: CAMPAIGN_ID, cursor: null });
    const second = await listCustomers({ repo }, { campaignId: CAMPAIGN_ID, cursor: first.nextCursor });

    // Assess
    expect(PAGE_SIZE).toBe(250);
    expect(first.customers).toHaveLength(250);
    expect(first.customers[0]).toEqual({ customerId: 'C0000', executionName: `${CAMPAIGN_ID}-C0000` });
    expect(first.nextCursor).not.toBeNull();
    expect(second).toEqual({ customers: [{ customerId: 'C0250', executionName: `${CAMPAIGN_ID}-C0250` }], nextCursor: null });
  });
});
