import type { ComplaintCategory } from './records.js';
import { type CategoryTally, strength } from './text-analysis/complaint-category.js';
import { EMOJI, HAN, LATIN_WORD, LEXICONS, type Locale, MAX_CHARS, normalize } from './text-analysis/lexicon.js';
import { readChinese, readEnglish } from './text-analysis/reading.js';
import { ratingScore } from './text-analysis/sentiment.js';

/**
 * Free-text analysis of a customer's reply (rulebook section 5): sentiment, complaint categories, intent and
 * the severity-A cues. The vocabulary is data (`lexicon/*.json`); the rules are here and in `text-analysis/`:
 * 1. normalize (NFKC, lower case, no zero-width characters) and pick the lexicons by script;
 * 2. split into clauses at punctuation; a clause that is only an acknowledgement (好的, ok) says nothing;
 * 3. in each clause, match terms longest first (characters for Chinese, words for English), then let a
 *    negator flip and an intensifier scale the sentiment term it reaches; "but" / 但是 halves what came before;
 * 4. rank the categories by their distinct keywords, counting more where the clause is negative;
 * 5. look for cues: question, suggestion, business stopped, major complaint;
 * 6. derive the sentiment from the score and the intent from all of the above.
 */

export type Sentiment = 'negative' | 'neutral' | 'positive';
export type Intent = 'complaint' | 'question' | 'suggestion' | 'praise' | 'other';

export interface TextAnalysis {
  sentiment: Sentiment;
  /** Summed lexicon weight after negation and intensifiers; < 0 negative. */
  score: number;
  /** Every category whose keywords occur, strongest first. */
  categories: ComplaintCategory[];
  /** The main one, or null when the text names none. */
  category: ComplaintCategory | null;
  intent: Intent;
  /** The customer's business is stopped by the issue (rulebook severity A). */
  businessStopped: boolean;
  /** Legal threats, regulators, media: a major complaint (severity A). */
  majorComplaint: boolean;
}

/** At or below: negative. A missed complaint costs more than a neutral reply read as one. */
const NEGATIVE_AT = -0.5;
/** At or above: positive. Politeness alone (谢谢, thanks: 0.5) stays neutral. */
const POSITIVE_AT = 1;
/** A threat of lawyers, regulators or the press, or a business we stopped, is a grievance whatever words carry it. */
const SEVERITY_A_WEIGHT = -2;

// ---- the whole reply ----

function localesOf(text: string, given: Locale | undefined): Locale[] {
  const found = new Set<Locale>(given ? [given] : []);
  if (HAN.test(text)) found.add('zh-CN');
  if (LATIN_WORD.test(text)) found.add('en-US');
  if (found.size === 0) found.add('en-US');
  return [...found];
}

function sentimentOf(score: number): Sentiment {
  if (score <= NEGATIVE_AT) return 'negative';
  if (score >= POSITIVE_AT) return 'positive';
  return 'neutral';
}

interface IntentSignals {
  sentiment: Sentiment;
  negativeHits: number;
  question: boolean;
  suggestion: boolean;
  leadsWithSuggestion: boolean;
  named: boolean;
  severe: boolean;
}

function intentOf(signals: IntentSignals): Intent {
  if (signals.severe) return 'complaint';
  if (signals.suggestion && (signals.sentiment !== 'negative' || signals.leadsWithSuggestion)) return 'suggestion';
  if (signals.sentiment === 'negative') return 'complaint';
  if (signals.question) return 'question';
  if (signals.sentiment === 'positive') return 'praise';
  // "东西不错，就是价格贵了点": balanced overall, yet it names what is wrong.
  if (signals.negativeHits > 0 && signals.named) return 'complaint';
  return 'other';
}

/**
 * Reads a customer's free-text reply. Language is detected from the text (CJK characters -> zh-CN) when
 * not given; mixed text uses both lexicons (a given locale is always used, plus any other the text needs).
 * Never throws: empty, emoji-only or hostile input reads as neutral "other".
 */
export function analyzeText(text: string, locale?: Locale): TextAnalysis {
  const normal = normalize(String(text ?? '').slice(0, MAX_CHARS));
  const categories = new Map<ComplaintCategory, CategoryTally>();
  const used = localesOf(normal, locale);
  let score = 0;
  let negativeHits = 0;
  let question = false;
  let suggestion = false;
  let leadsWithSuggestion = false;
  let businessCue = false;
  let plannedClosure = false;
  let majorComplaint = false;
  for (const code of used) {
    const lexicon = LEXICONS[code];
    const reading = code === 'zh-CN' ? readChinese(normal, lexicon, categories) : readEnglish(normal, lexicon, categories);
    score += reading.tally.score;
    negativeHits += reading.tally.negativeHits;
    question ||= reading.question;
    suggestion ||= reading.suggestion;
    leadsWithSuggestion ||= reading.leadsWithSuggestion;
    businessCue ||= reading.businessStopped;
    plannedClosure ||= reading.plannedClosure;
    majorComplaint ||= reading.majorComplaint;
  }
  // Ratings and emojis read the same in every language: counted once.
  const rating = ratingScore(normal, LEXICONS[used.includes('zh-CN') ? 'zh-CN' : 'en-US'].rating);
  for (const symbol of normal) score += EMOJI.get(symbol) ?? 0;
  score += rating;
  if (rating < 0) negativeHits += 1;

  const ranked = [...categories.entries()]
    .map(([category, tally]) => ({ category, strength: strength(tally), first: tally.first }))
    .sort((a, b) => b.strength - a.strength || a.first - b.first)
    .map(({ category }) => category);
  // 停业整顿了，年后再联系 is a planned closure, not one we caused: then only a named problem makes it ours.
  const businessStopped = businessCue && (!plannedClosure || ranked.length > 0);
  for (const flag of [businessStopped, majorComplaint]) {
    if (!flag) continue;
    score += SEVERITY_A_WEIGHT;
    negativeHits += 1;
  }
  score = Math.round(score * 100) / 100;
  const sentiment = sentimentOf(score);
  return {
    sentiment,
    score,
    categories: ranked,
    category: ranked[0] ?? null,
    intent: intentOf({
      sentiment,
      negativeHits,
      question,
      suggestion,
      leadsWithSuggestion,
      named: ranked.length > 0,
      severe: businessStopped || majorComplaint,
    }),
    businessStopped,
    majorComplaint,
  };
}
