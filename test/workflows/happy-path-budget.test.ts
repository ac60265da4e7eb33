import { describe, expect, it } from 'vitest';
import { measureHappyPath } from '../../bench/happy-path.js';

// The happy path's budget (issue 8, BENCHMARKS.md): counted exactly on the real lifecycle definition, the
// handlers and DynamoDB Local, so that a change which costs a customer one more write or step shows here.
describe("one customer's happy path (one touch, one reply, evaluate)", () => {
  it('takes at most 12 state transitions, 4 Lambda invocations and 8 DynamoDB writes', async () => {
    const path = await measureHappyPath();

    expect(path.states.at(-1)).toBe('Done');
    expect(path.transitions).toBeLessThanOrEqual(12);
    expect(path.lambdaInvocations).toBeLessThanOrEqual(4);
    expect(path.ddbWrites, JSON.stringify(path.writesByCommand)).toBeLessThanOrEqual(8);
  });
});
