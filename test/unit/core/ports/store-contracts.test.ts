import { describe } from 'vitest';
import { describeStoreContracts } from '../../../support/contracts/stores.js';
import { InMemoryCampaignRepository } from '../../../support/fakes/index.js';

describe('the in-memory fake of the stores', () => {
  const repo = new InMemoryCampaignRepository();
  describeStoreContracts(() => repo);
});
