import { z } from 'zod';
import enData from '../lexicon/en-US.json' with { type: 'json' };
import zhData from '../lexicon/zh-CN.json' with { type: 'json' };
import { COMPLAINT_CATEGORIES, type ComplaintCategory } from '../records.js';
import type { Locale } from '../schemas.js';

export type { Locale } from '../schemas.js';

/** Replies are read up to this length; past it, only the beginning (a reply, not a document). */
export const MAX_CHARS = 10_000;

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
export interface Role {
  weight: number;
  negator: boolean;
  intensity: number;
  comparative: boolean;
  contrast: boolean;
}

export interface CategoryRole {
  category: ComplaintCategory;
  weight: number;
}

export interface Dictionary<T> {
  entries: Map<string, T>;
  /** Longest key, in characters (zh) or words (en). */
  longest: number;
  /** First characters of the keys: most positions in a Chinese reply start none and are skipped at once. */
  starts: Set<string>;
}

export interface Lexicon {
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
export const NEGATOR: Role = { ...NO_ROLE, negator: true };

const WORD = /[\p{Script=Latin}\p{N}]+(?:'\p{Script=Latin}+)*/gu;
export const PUNCTUATION = /[.,!?;:()[\]。，！？；：、…~～\n]/u;
export const TOKEN = new RegExp(`${WORD.source}|${PUNCTUATION.source}`, 'gu');
/** Chinese clauses also end at spaces: "服务很好 谢谢". */
export const CJK_CLAUSE_END = /[\s.,!?;:()[\]。，！？；：、…~～]+/u;
/** 这不是违约吗 / 难道不是…吗 assert what they seem to deny. */
export const RHETORICAL = /(?:不是|难道)([^.,!?;，。！？；]{1,10}?)吗/gu;
export const HAN = /\p{Script=Han}/u;
export const LATIN_WORD = /\p{Script=Latin}{2,}/u;

export function normalize(text: string): string {
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

export const LEXICONS: Record<Locale, Lexicon> = {
  'zh-CN': compile('zh-CN', zhData),
  'en-US': compile('en-US', enData),
};
/** Emojis read the same in every language: one map from both files, counted once per reply. */
export const EMOJI = new Map(
  [zhData.emoji, enData.emoji].flatMap((map) =>
    Object.entries(map).map(([emoji, weight]): [string, number] => [normalize(emoji), weight]),
  ),
);
