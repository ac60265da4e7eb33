import { z } from 'zod';
import enData from './lexicon/en-US.json' with { type: 'json' };
import zhData from './lexicon/zh-CN.json' with { type: 'json' };
import { COMPLAINT_CATEGORIES, type ComplaintCategory } from './records.js';

/**
 * Free-text analysis of a customer's reply (rulebook section 5): sentiment, complaint categories, intent and
 * the severity-A cues. The vocabulary is data (`lexicon/*.json`); this file holds only the rules:
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

type Locale = 'zh-CN' | 'en-US';

/** At or below: negative. A missed complaint costs more than a neutral reply read as one. */
const NEGATIVE_AT = -0.5;
/** At or above: positive. Politeness alone (谢谢, thanks: 0.5) stays neutral. */
const POSITIVE_AT = 1;
/** How far a negator reaches: characters between it and the term (zh), or words (en). */
const NEGATION_REACH: Record<Locale, number> = { 'zh-CN': 3, 'en-US': 3 };
const INTENSIFIER_REACH: Record<Locale, number> = { 'zh-CN': 2, 'en-US': 1 };
/** A negated negative is mild praise at most: "not bad", 没有任何问题. */
const NEGATED_NEGATIVE = 0.5;
/** What came before "but" / 但是 counts half: the clause after it is what the customer means. */
const BEFORE_CONTRAST = 0.5;
const MAX_INTENSITY = 3;
/** A threat of lawyers, regulators or the press, or a business we stopped, is a grievance whatever words carry it. */
const SEVERITY_A_WEIGHT = -2;
/** Keywords in a clause that complains count more: "质量很好，就是快递有点慢" is about delivery. */
const NEGATIVE_CLAUSE_BOOST = 1.5;
/** Replies are read up to this length; past it, only the beginning (a reply, not a document). */
const MAX_CHARS = 10_000;

// ---- lexicons: data files, parsed once per cold start ----

const weights = z.record(z.string(), z.number().positive());
const terms = z.array(z.string().min(1));
const lexiconSchema = z.object({
  positive: weights,
  negative: weights,
  neutral: terms,
  acknowledgements: terms,
  negators: terms,
  intensifiers: weights,
  comparatives: terms,
  contrast: terms,
  ratingSuffixes: terms,
  categories: z.record(z.enum(COMPLAINT_CATEGORIES), weights),
  question: terms,
  questionStarters: terms,
  suggestion: terms,
  businessStopped: terms,
  plannedClosure: terms,
  majorComplaint: terms,
  emoji: z.record(z.string(), z.number()),
});

/** What a matched term does; one term may do several things (可惜 is negative and a contrast). */
interface Role {
  weight: number;
  negator: boolean;
  intensity: number;
  comparative: boolean;
  contrast: boolean;
}

interface CategoryRole {
  category: ComplaintCategory;
  weight: number;
}

interface Dictionary<T> {
  entries: Map<string, T>;
  /** Longest key, in characters (zh) or words (en). */
  longest: number;
  /** First characters of the keys: most positions in a Chinese reply start none and are skipped at once. */
  starts: Set<string>;
}

interface Lexicon {
  sentiment: Dictionary<Role>;
  categories: Dictionary<CategoryRole>;
  acknowledgements: Set<string>;
  question: string[];
  /** "?" and the like: cues with no letters, looked for anywhere. */
  questionMarks: string[];
  questionStarters: Set<string>;
  suggestion: string[];
  businessStopped: string[];
  plannedClosure: string[];
  majorComplaint: string[];
  /** but / 但是: a clause is split before one, so what follows is weighed as what the customer means. */
  contrast: string[];
  /** Splits a Chinese clause before each contrast word (English splits word by word). */
  turn: RegExp;
  rating: RegExp;
}

const NO_ROLE: Role = { weight: 0, negator: false, intensity: 1, comparative: false, contrast: false };
const NEGATOR: Role = { ...NO_ROLE, negator: true };

const WORD = /[\p{Script=Latin}\p{N}]+(?:'\p{Script=Latin}+)*/gu;
const PUNCTUATION = /[.,!?;:()[\]。，！？；：、…~～\n]/u;
const TOKEN = new RegExp(`${WORD.source}|${PUNCTUATION.source}`, 'gu');
/** Chinese clauses also end at spaces: "服务很好 谢谢". */
const CJK_CLAUSE_END = /[\s.,!?;:()[\]。，！？；：、…~～]+/u;
/** 这不是违约吗 / 难道不是…吗 assert what they seem to deny. */
const RHETORICAL = /(?:不是|难道)([^.,!?;，。！？；]{1,10}?)吗/gu;
const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /\p{Script=Latin}{2,}/u;

function normalize(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      // Zero-width and other format characters would hide 不满意 as 不 + ZWSP + 满意.
      .replace(/\p{Cf}/gu, '')
  );
}

function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

function keyOf(term: string, locale: Locale): string {
  const normal = normalize(term);
  return locale === 'zh-CN' ? normal : words(normal).join(' ');
}

function dictionary<T>(locale: Locale, pairs: Array<[string, T]>, merge: (old: T, next: T) => T): Dictionary<T> {
  const entries = new Map<string, T>();
  const starts = new Set<string>();
  let longest = 1;
  for (const [term, value] of pairs) {
    const key = keyOf(term, locale);
    if (key === '') continue;
    const old = entries.get(key);
    entries.set(key, old === undefined ? value : merge(old, value));
    starts.add(key.charAt(0));
    longest = Math.max(longest, locale === 'zh-CN' ? key.length : key.split(' ').length);
  }
  return { entries, longest, starts };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compile(locale: Locale, raw: unknown): Lexicon {
  const data = lexiconSchema.parse(raw);
  const role = (term: string, part: Partial<Role>): [string, Role] => [term, { ...NO_ROLE, ...part }];
  const roles: Array<[string, Role]> = [
    ...data.neutral.map((term) => role(term, {})),
    ...Object.entries(data.positive).map(([term, weight]) => role(term, { weight })),
    ...Object.entries(data.negative).map(([term, weight]) => role(term, { weight: -weight })),
    ...data.negators.map((term) => role(term, { negator: true })),
    ...Object.entries(data.intensifiers).map(([term, intensity]) => role(term, { intensity })),
    ...data.comparatives.map((term) => role(term, { comparative: true })),
    ...data.contrast.map((term) => role(term, { contrast: true })),
  ];
  const categoryPairs = COMPLAINT_CATEGORIES.flatMap((category) =>
    Object.entries(data.categories[category]).map(([term, weight]): [string, CategoryRole] => [term, { category, weight }]),
  );
  const suffixes = data.ratingSuffixes.map((suffix) => escapeRegExp(normalize(suffix))).join('|');
  const keys = (list: string[]) => list.map((term) => keyOf(term, locale)).filter((key) => key !== '');
  return {
    sentiment: dictionary(locale, roles, (old, next) => ({
      weight: old.weight + next.weight,
      negator: old.negator || next.negator,
      intensity: old.intensity * next.intensity,
      comparative: old.comparative || next.comparative,
      contrast: old.contrast || next.contrast,
    })),
    categories: dictionary(locale, categoryPairs, (old, next) => (next.weight > old.weight ? next : old)),
    acknowledgements: new Set(keys(data.acknowledgements)),
    question: keys(data.question),
    questionMarks: data.question.map(normalize).filter((cue) => !/[\p{L}\p{N}]/u.test(cue)),
    questionStarters: new Set(keys(data.questionStarters)),
    suggestion: keys(data.suggestion),
    businessStopped: keys(data.businessStopped),
    plannedClosure: keys(data.plannedClosure),
    majorComplaint: keys(data.majorComplaint),
    contrast: keys(data.contrast),
    turn: new RegExp(`(?=${keys(data.contrast).map(escapeRegExp).join('|')})`, 'u'),
    rating: new RegExp(`(?<![\\d.])(\\d{1,2})\\s*(${suffixes})`, 'gu'),
  };
}

const LEXICONS: Record<Locale, Lexicon> = {
  'zh-CN': compile('zh-CN', zhData),
  'en-US': compile('en-US', enData),
};
/** Emojis read the same in every language: one map from both files, counted once per reply. */
const EMOJI = new Map(
  [zhData.emoji, enData.emoji].flatMap((map) =>
    Object.entries(map).map(([emoji, weight]): [string, number] => [normalize(emoji), weight]),
  ),
);

// ---- matching ----

interface Hit<T> {
  value: T;
  /** Offset of the first character (zh) or word (en) within its clause. */
  start: number;
  end: number;
}

/** Longest match first, left to right, over characters: Chinese has no spaces. */
function matchCharacters<T>(clause: string, dict: Dictionary<T>): Array<Hit<T>> {
  const hits: Array<Hit<T>> = [];
  let i = 0;
  while (i < clause.length) {
    let length = dict.starts.has(clause.charAt(i)) ? Math.min(dict.longest, clause.length - i) : 0;
    for (; length >= 1; length -= 1) {
      const value = dict.entries.get(clause.slice(i, i + length));
      if (value !== undefined) {
        hits.push({ value, start: i, end: i + length });
        break;
      }
    }
    i += Math.max(length, 1);
  }
  return hits;
}

/** Forms a single English word is also looked up as: prices -> price, delayed -> delay, sooo -> so. */
function variants(word: string): string[] {
  const forms: string[] = [];
  if (/(\p{L})\1\1/u.test(word)) forms.push(word.replace(/(\p{L})\1{2,}/gu, '$1$1'), word.replace(/(\p{L})\1{2,}/gu, '$1'));
  if (word.endsWith("'s")) forms.push(word.slice(0, -2));
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  for (const suffix of ['es', 's', 'ed', 'd', 'ing', 'ly', 'er', 'est']) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) forms.push(word.slice(0, -suffix.length));
  }
  if (word.endsWith('ing')) forms.push(`${word.slice(0, -3)}e`);
  return forms;
}

function lookUp<T>(dict: Dictionary<T>, phrase: string[]): T | undefined {
  const exact = dict.entries.get(phrase.join(' '));
  if (exact !== undefined || phrase.length > 1) return exact;
  for (const form of variants(phrase[0] ?? '')) {
    const value = dict.entries.get(form);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Longest match first over the words of one clause; `orElse` gives unlisted words a role. */
function matchWords<T>(clause: string[], dict: Dictionary<T>, orElse?: (word: string) => T | undefined): Array<Hit<T>> {
  const hits: Array<Hit<T>> = [];
  let i = 0;
  while (i < clause.length) {
    let length = Math.min(dict.longest, clause.length - i);
    let value: T | undefined;
    for (; length >= 1; length -= 1) {
      value = lookUp(dict, clause.slice(i, i + length));
      if (value !== undefined) break;
    }
    value ??= orElse?.(clause[i] ?? '');
    if (value !== undefined) hits.push({ value, start: i, end: i + Math.max(length, 1) });
    i += Math.max(length, 1);
  }
  return hits;
}

/** "don't", "isn't", "can't": every n't is a negator, listed or not. */
const contractedNegator = (word: string): Role | undefined => (word.endsWith("n't") ? NEGATOR : undefined);

// ---- scoring ----

interface Tally {
  score: number;
  /** Terms that counted against: a reply can balance out to neutral and still name what is wrong. */
  negativeHits: number;
  /** Each clause's own sum, for weighting the categories it names. */
  clauseScores: number[];
}

/** Sum the sentiment, flipping what a negator reaches and scaling what an intensifier reaches. */
function tallySentiment(clauses: Array<Array<Hit<Role>>>, locale: Locale): Tally {
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

interface CategoryTally {
  /** Distinct keywords only: saying "delivery" twice is not more evidence than once. */
  keywords: Map<string, number>;
  first: number;
}

function tallyCategories(
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

function strength(tally: CategoryTally): number {
  let sum = 0;
  for (const weight of tally.keywords.values()) sum += weight;
  return sum;
}

/** "2分", "5 stars", "8/10": a rating written into the text. */
function ratingScore(text: string, rating: RegExp): number {
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

// ---- reading one language ----

interface Reading {
  tally: Tally;
  question: boolean;
  suggestion: boolean;
  /** The reply opens with a suggestion ("建议…", "Would be nice…"): a grievance after it is its reason. */
  leadsWithSuggestion: boolean;
  businessStopped: boolean;
  /** 放假, 年后, closed for the holidays: a stop that is planned, not caused. */
  plannedClosure: boolean;
  majorComplaint: boolean;
}

function readChinese(text: string, lexicon: Lexicon, categories: Map<ComplaintCategory, CategoryTally>): Reading {
  const clauses = text
    .split(CJK_CLAUSE_END)
    .flatMap((clause) => clause.split(lexicon.turn))
    .filter((clause) => clause !== '');
  const turns = clauses.map((clause) => lexicon.contrast.some((term) => clause.startsWith(term)));
  const spoken = clauses.map((clause) => (lexicon.acknowledgements.has(clause) ? '' : clause.replace(RHETORICAL, '是$1吗')));
  const tally = tallySentiment(
    spoken.map((clause) => matchCharacters(clause, lexicon.sentiment)),
    'zh-CN',
  );
  const named = clauses.map((clause) => matchCharacters(clause, lexicon.categories));
  tallyCategories(named, tally.clauseScores, turns, (index, hit) => (clauses[index] ?? '').slice(hit.start, hit.end), categories);
  const has = (cues: string[], within = text) => cues.some((cue) => within.includes(cue));
  return {
    tally,
    question: has(lexicon.question) || has(lexicon.questionMarks),
    suggestion: has(lexicon.suggestion),
    leadsWithSuggestion: has(lexicon.suggestion, clauses[0] ?? ''),
    businessStopped: has(lexicon.businessStopped),
    plannedClosure: has(lexicon.plannedClosure),
    majorComplaint: has(lexicon.majorComplaint),
  };
}

function readEnglish(text: string, lexicon: Lexicon, categories: Map<ComplaintCategory, CategoryTally>): Reading {
  const split: string[][] = [[]];
  for (const token of text.match(TOKEN) ?? []) {
    const punctuation = PUNCTUATION.test(token);
    if (punctuation || lexicon.contrast.includes(token)) split.push([]);
    if (!punctuation) split.at(-1)?.push(token);
  }
  const clauses = split.filter((clause) => clause.length > 0);
  const turns = clauses.map((clause) => lexicon.contrast.includes(clause[0] ?? ''));
  const spoken = clauses.map((clause) => (lexicon.acknowledgements.has(clause.join(' ')) ? [] : clause));
  const tally = tallySentiment(
    spoken.map((clause) => matchWords(clause, lexicon.sentiment, contractedNegator)),
    'en-US',
  );
  const named = clauses.map((clause) => matchWords(clause, lexicon.categories));
  tallyCategories(
    named,
    tally.clauseScores,
    turns,
    (index, hit) => (clauses[index] ?? []).slice(hit.start, hit.end).join(' '),
    categories,
  );
  const padded = (clause: string[]) => ` ${clause.join(' ')} `;
  const all = padded(clauses.flat());
  const has = (cues: string[], within = all) => cues.some((cue) => within.includes(` ${cue} `));
  return {
    tally,
    question:
      has(lexicon.question) ||
      lexicon.questionMarks.some((mark) => text.includes(mark)) ||
      clauses.some((clause) => lexicon.questionStarters.has(clause[0] ?? '')),
    suggestion: has(lexicon.suggestion),
    leadsWithSuggestion: has(lexicon.suggestion, padded(clauses[0] ?? [])),
    businessStopped: has(lexicon.businessStopped),
    plannedClosure: has(lexicon.plannedClosure),
    majorComplaint: has(lexicon.majorComplaint),
  };
}

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
export function analyzeText(text: string, locale?: 'zh-CN' | 'en-US'): TextAnalysis {
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
