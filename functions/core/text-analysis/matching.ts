import { type Dictionary, NEGATOR, type Role } from './lexicon.js';

// ---- matching ----

export interface Hit<T> {
  value: T;
  /** Offset of the first character (zh) or word (en) within its clause. */
  start: number;
  end: number;
}

/** Longest match first, left to right, over characters: Chinese has no spaces. */
export function matchCharacters<T>(clause: string, dict: Dictionary<T>): Array<Hit<T>> {
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
export function matchWords<T>(clause: string[], dict: Dictionary<T>, orElse?: (word: string) => T | undefined): Array<Hit<T>> {
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
export const contractedNegator = (word: string): Role | undefined => (word.endsWith("n't") ? NEGATOR : undefined);
