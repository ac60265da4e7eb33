import { describe } from 'vitest';
import { describeCouponStoreContract, useDynamoDbLocalCouponStore } from '../support/contracts/coupons.js';

describe('the DynamoDB coupon store on DynamoDB Local', () => {
  describeCouponStoreContract(useDynamoDbLocalCouponStore());
});
