import type { ComplaintCategory } from '../records.js';
import { type CategoryRole, MAX_CHARS } from './lexicon.js';
import type { Hit } from './matching.js';
import { BEFORE_CONTRAST } from './sentiment.js';

/** Keywords in a clause that complains count more: "质量很好，就是快递有点慢" is about delivery. */
const NEGATIVE_CLAUSE_BOOST = 1.5;

export interface CategoryTally {
  /** Distinct keywords only: saying "delivery" twice is not more evidence than once. */
  keywords: Map<string, number>;
  first: number;
}

export function tallyCategories(
  clauses: Array<Array<Hit<CategoryRole>>>,
  clauseScores: number[],
  turns: boolean[],
  keyOfHit: (clause: number, hit: Hit<CategoryRole>) => string,
  into: Map<ComplaintCategory, CategoryTally>,
): void {
  let turnsAfter = turns.filter(Boolean).length;
  clauses.forEach((hits, index) => {
    if (turns[index]) turnsAfter -= 1;
    const boost = ((clauseScores[index] ?? 0) < 0 ? NEGATIVE_CLAUSE_BOOST : 1) * BEFORE_CONTRAST ** turnsAfter;
    for (const hit of hits) {
      const { category, weight } = hit.value;
      const tally = into.get(category) ?? { keywords: new Map<string, number>(), first: index * MAX_CHARS + hit.start };
      const keyword = keyOfHit(index, hit);
      tally.keywords.set(keyword, Math.max(tally.keywords.get(keyword) ?? 0, weight * boost));
      into.set(category, tally);
    }
  });
}

export function strength(tally: CategoryTally): number {
  let sum = 0;
  for (const weight of tally.keywords.values()) sum += weight;
  return sum;
}
