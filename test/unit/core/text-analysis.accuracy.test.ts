import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMPLAINT_CATEGORIES } from '../../../functions/core/records.js';
import { analyzeText } from '../../../functions/core/text-analysis.js';

// Accuracy over the labelled sample (docs/evaluation.md): the rules of each reading are in text-analysis.test.ts.

const sentimentSchema = z.enum(['negative', 'neutral', 'positive']);
const intentSchema = z.enum(['complaint', 'question', 'suggestion', 'praise', 'other']);

const labelledSchema = z.object({
  text: z.string(),
  locale: z.enum(['zh-CN', 'en-US']),
  sentiment: sentimentSchema,
  category: z.enum(COMPLAINT_CATEGORIES).nullable(),
  intent: intentSchema,
  businessStopped: z.boolean(),
  majorComplaint: z.boolean(),
});
type Labelled = z.infer<typeof labelledSchema>;

const labelled: Labelled[] = readFileSync(new URL('../../fixtures/labelled-replies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => labelledSchema.parse(JSON.parse(line)));

const FIELDS = ['sentiment', 'category', 'intent', 'businessStopped', 'majorComplaint'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Measured on the 174 zh-CN / 172 en-US replies: sentiment .98/.99, category .98/.98, intent .98/.99, flags >= .99.
 * The floors sit a little below, and far above what a constant answer scores (the majority label's share).
 */
const FLOORS: Record<Field, number> = {
  sentiment: 0.93,
  category: 0.93,
  intent: 0.93,
  businessStopped: 0.97,
  majorComplaint: 0.97,
};
/** The flags are rare, so accuracy alone would reward never raising them: recall and precision too. */
const FLAG_FLOOR = 0.85;

interface Scorecard {
  count: number;
  accuracy: Record<Field, number>;
  majority: Record<Field, number>;
  recall: Record<'businessStopped' | 'majorComplaint', number>;
  precision: Record<'businessStopped' | 'majorComplaint', number>;
}

function scorecard(rows: Labelled[]): Scorecard {
  const results = rows.map((row) => ({ row, got: analyzeText(row.text) }));
  const share = (predicate: (r: (typeof results)[number]) => boolean, among = results) =>
    among.length === 0 ? 1 : among.filter(predicate).length / among.length;
  const majorityShare = (field: Field) => {
    const counts = new Map<unknown, number>();
    for (const { row } of results) counts.set(row[field], (counts.get(row[field]) ?? 0) + 1);
    return Math.max(...counts.values()) / results.length;
  };
  const flag = (field: 'businessStopped' | 'majorComplaint') => ({
    recall: share(
      ({ got }) => got[field],
      results.filter(({ row }) => row[field]),
    ),
    precision: share(
      ({ row }) => row[field],
      results.filter(({ got }) => got[field]),
    ),
  });
  const flags = { businessStopped: flag('businessStopped'), majorComplaint: flag('majorComplaint') };
  return {
    count: rows.length,
    accuracy: Object.fromEntries(FIELDS.map((field) => [field, share(({ row, got }) => row[field] === got[field])])) as Record<
      Field,
      number
    >,
    majority: Object.fromEntries(FIELDS.map((field) => [field, majorityShare(field)])) as Record<Field, number>,
    recall: { businessStopped: flags.businessStopped.recall, majorComplaint: flags.majorComplaint.recall },
    precision: { businessStopped: flags.businessStopped.precision, majorComplaint: flags.majorComplaint.precision },
  };
}

describe('accuracy on the labelled replies', () => {
  const cards = {
    'zh-CN': scorecard(labelled.filter((row) => row.locale === 'zh-CN')),
    'en-US': scorecard(labelled.filter((row) => row.locale === 'en-US')),
  };

  it('prints the scorecard', () => {
    const pct = (n: number) => `${(n * 100).toFixed(1)}%`.padStart(7);
    const lines = [
      `${'locale'.padEnd(7)} ${'n'.padStart(4)} ${FIELDS.map((f) => f.padStart(15)).join(' ')}   recall/precision (stopped, major)`,
      ...Object.entries(cards).map(
        ([locale, card]) =>
          `${locale.padEnd(7)} ${String(card.count).padStart(4)} ${FIELDS.map((f) => `${pct(card.accuracy[f])} (${pct(card.majority[f]).trim()})`.padStart(15)).join(' ')}   ${pct(card.recall.businessStopped)}/${pct(card.precision.businessStopped).trim()}, ${pct(card.recall.majorComplaint)}/${pct(card.precision.majorComplaint).trim()}`,
      ),
      '(in brackets: the share of the most common label, what a constant answer would score)',
    ];
    console.log(`text-analysis accuracy\n${lines.join('\n')}`);
    expect(labelled.length).toBeGreaterThanOrEqual(160);
  });

  it.each(['zh-CN', 'en-US'] as const)('has at least 80 labelled %s replies', (locale) => {
    expect(cards[locale].count).toBeGreaterThanOrEqual(80);
  });

  it.each((['zh-CN', 'en-US'] as const).flatMap((locale) => FIELDS.map((field) => [locale, field, FLOORS[field]] as const)))(
    'reads %s %s correctly at least %f of the time',
    (locale, field, floor) => {
      expect(cards[locale].accuracy[field]).toBeGreaterThanOrEqual(floor);
    },
  );

  it.each(
    (['zh-CN', 'en-US'] as const).flatMap((locale) =>
      (['businessStopped', 'majorComplaint'] as const).map((flag) => [locale, flag] as const),
    ),
  )('finds %s %s replies with recall and precision of at least 0.85', (locale, flag) => {
    expect(cards[locale].recall[flag]).toBeGreaterThanOrEqual(FLAG_FLOOR);
    expect(cards[locale].precision[flag]).toBeGreaterThanOrEqual(FLAG_FLOOR);
  });
});
