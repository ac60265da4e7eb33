import { describe } from 'vitest';
import { describeCouponStoreContract } from '../../../support/contracts/coupons.js';
import { InMemoryCouponStore } from '../../../support/fakes/index.js';

describe('the in-memory fake of the coupon store', () => {
  const store = new InMemoryCouponStore();
  describeCouponStoreContract(() => store);
});
