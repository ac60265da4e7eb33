import { describe } from 'vitest';
import { describeStoreContracts } from '../contracts/stores.js';
import { InMemoryCampaignRepository } from './fakes.js';

describe('the in-memory fake of the stores', () => {
  const repo = new InMemoryCampaignRepository();
  describeStoreContracts(() => repo);
});
