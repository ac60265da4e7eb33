import type { Locale, Role } from './lexicon.js';
import type { Hit } from './matching.js';

/** How far a negator reaches: characters between it and the term (zh), or words (en). */
const NEGATION_REACH: Record<Locale, number> = { 'zh-CN': 3, 'en-US': 3 };
const INTENSIFIER_REACH: Record<Locale, number> = { 'zh-CN': 2, 'en-US': 1 };
/** A negated negative is mild praise at most: "not bad", 没有任何问题. */
const NEGATED_NEGATIVE = 0.5;
/** What came before "but" / 但是 counts half: the clause after it is what the customer means. */
export const BEFORE_CONTRAST = 0.5;
const MAX_INTENSITY = 3;

// ---- scoring ----

export interface Tally {
  score: number;
  /** Terms that counted against: a reply can balance out to neutral and still name what is wrong. */
  negativeHits: number;
  /** Each clause's own sum, for weighting the categories it names. */
  clauseScores: number[];
}

/** Sum the sentiment, flipping what a negator reaches and scaling what an intensifier reaches. */
export function tallySentiment(clauses: Array<Array<Hit<Role>>>, locale: Locale): Tally {
  const tally: Tally = { score: 0, negativeHits: 0, clauseScores: [] };
  const within = (from: { end: number } | null, hit: Hit<Role>, reach: number) => from !== null && hit.start - from.end <= reach;
  for (const hits of clauses) {
    let clauseScore = 0;
    let negation: { end: number; strength: number } | null = null;
    let intensity: { end: number; factor: number } | null = null;
    for (const hit of hits) {
      const role = hit.value;
      if (role.contrast) {
        tally.score *= BEFORE_CONTRAST;
        negation = null;
        intensity = null;
      }
      if (role.negator) {
        // 太不好: an intensifier before the negator strengthens the negation; 不太好 softens it.
        negation = { end: hit.end, strength: within(intensity, hit, INTENSIFIER_REACH[locale]) ? (intensity?.factor ?? 1) : 1 };
        intensity = null;
      }
      if (role.comparative && negation !== null) {
        // 没有想象中那么好: the negation reaches the term its comparison points at.
        negation.end = hit.end;
      }
      if (role.intensity !== 1) {
        const chained: number = within(intensity, hit, INTENSIFIER_REACH[locale]) ? (intensity?.factor ?? 1) : 1;
        intensity = { end: hit.end, factor: Math.min(MAX_INTENSITY, chained * role.intensity) };
      }
      if (role.weight === 0) continue;
      let value = role.weight;
      if (negation !== null && within(negation, hit, NEGATION_REACH[locale])) {
        value = role.weight > 0 ? -role.weight * negation.strength : -role.weight * NEGATED_NEGATIVE;
      } else if (intensity !== null && within(intensity, hit, INTENSIFIER_REACH[locale])) {
        value = role.weight * intensity.factor;
      }
      tally.score += value;
      clauseScore += value;
      if (value < 0) tally.negativeHits += 1;
      negation = null;
      intensity = null;
    }
    tally.clauseScores.push(clauseScore);
  }
  return tally;
}

/** "2分", "5 stars", "8/10": a rating written into the text. */
export function ratingScore(text: string, rating: RegExp): number {
  let score = 0;
  for (const match of text.matchAll(rating)) {
    const value = Number(match[1]);
    const outOfTen = value > 5 || (match[2] ?? '').includes('10');
    const [low, high] = outOfTen ? [6, 9] : [2, 4];
    if (value <= low) score -= 1.5;
    else if (value >= high) score += 1.5;
  }
  return score;
}
