import { describe } from 'vitest';
import { describeProfileContracts } from '../../../support/contracts/profiles.js';
import { describeProgramStoreContract } from '../../../support/contracts/programs.js';
import { describeStoreContracts } from '../../../support/contracts/stores.js';
import { InMemoryCampaignRepository, InMemoryProfileStore, InMemoryProgramStore } from '../../../support/fakes/index.js';

describe('the in-memory fake of the stores', () => {
  const repo = new InMemoryCampaignRepository();
  describeStoreContracts(() => repo);
});

describe('the in-memory fake of the profile stores', () => {
  const store = new InMemoryProfileStore();
  describeProfileContracts(() => store);
});

describe('the in-memory fake of the program store', () => {
  const store = new InMemoryProgramStore();
  describeProgramStoreContract(() => store);
});
