import { npsCategoryOf } from './evaluation.js';

/** A share rounded to 4 decimals; null when there is nothing to divide by. */
export const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

/** CSAT (rulebook section 6): the share of 1-5 scores that are 4 or 5; null without scores. */
export function csatOf(scores: readonly number[]): number | null {
  return share(scores.filter((s) => s >= 4).length, scores.length);
}

/**
 * NPS (rulebook section 6): promoters' share minus detractors' share of the 0-10 answers, in points,
 * to one decimal; null without answers. Halves round away from zero, the same for a negative score as
 * for a positive one (-61.25 is -61.3, as 61.25 is 61.3), and in integers, so that no floating-point
 * residue decides it.
 */
export function npsOf(answers: readonly number[]): number | null {
  if (answers.length === 0) return null;
  let net = 0;
  for (const answer of answers) {
    const category = npsCategoryOf(answer);
    if (category === 'promoter') net++;
    else if (category === 'detractor') net--;
  }
  const tenths = Math.round((Math.abs(net) * 1000) / answers.length);
  return (Math.sign(net) * tenths) / 10 || 0;
}
