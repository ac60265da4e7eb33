import type { ComplaintCategory } from '../records.js';
import { type CategoryTally, tallyCategories } from './complaint-category.js';
import { CJK_CLAUSE_END, type Lexicon, PUNCTUATION, RHETORICAL, TOKEN } from './lexicon.js';
import { contractedNegator, matchCharacters, matchWords } from './matching.js';
import { type Tally, tallySentiment } from './sentiment.js';

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

export function readChinese(text: string, lexicon: Lexicon, categories: Map<ComplaintCategory, CategoryTally>): Reading {
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

export function readEnglish(text: string, lexicon: Lexicon, categories: Map<ComplaintCategory, CategoryTally>): Reading {
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
