import { describe, expect, it } from 'vitest';
import { csatOf, npsOf, share } from '../../../functions/core/measures.js';

const answers = (counts: { promoters: number; passives: number; detractors: number }) => [
  ...Array<number>(counts.promoters).fill(10),
  ...Array<number>(counts.passives).fill(8),
  ...Array<number>(counts.detractors).fill(3),
];

describe('npsOf', () => {
  it('rounds a half away from zero, the same for a negative score as for a positive one', () => {
    // 49 detractors of 80: -61.25 points; 49 promoters of 80: 61.25.
    expect(npsOf(answers({ promoters: 0, passives: 31, detractors: 49 }))).toBe(-61.3);
    expect(npsOf(answers({ promoters: 49, passives: 31, detractors: 0 }))).toBe(61.3);
  });

  it('is promoters (9-10) minus detractors (0-6) in points, to one decimal, and null without answers', () => {
    expect(npsOf([10, 9, 8, 7, 6, 0])).toBe(0);
    expect(npsOf([10, 10, 3])).toBe(33.3);
    expect(npsOf([])).toBeNull();
  });
});

describe('csatOf and share', () => {
  it('is the share of 4-5 scores, to 4 decimals, and null without scores', () => {
    expect(csatOf([5, 4, 3])).toBe(0.6667);
    expect(csatOf([])).toBeNull();
    expect(share(1, 3)).toBe(0.3333);
    expect(share(1, 0)).toBeNull();
  });
});
