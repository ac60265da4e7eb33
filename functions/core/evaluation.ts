import type { ReplyMeaning } from './replies.js';

export type Sentiment = 'negative' | 'neutral' | 'positive';

// A small bilingual lexicon for the walking skeleton; issue 5 replaces it with a tested, data-driven one.
const NEGATIVE = [
  '差',
  '不满意',
  '投诉',
  '太慢',
  '坏',
  '退款',
  '失望',
  'bad',
  'terrible',
  'slow',
  'broken',
  'refund',
  'disappointed',
  'complaint',
  'worst',
];
const POSITIVE = [
  '满意',
  '很好',
  '不错',
  '谢谢',
  '感谢',
  '棒',
  'great',
  'good',
  'thanks',
  'thank you',
  'excellent',
  'love',
  'happy',
];

export function sentimentOf(text: string): Sentiment {
  const lower = text.toLowerCase();
  const negative = NEGATIVE.some((w) => lower.includes(w)) || lower.includes('不好');
  const positive = POSITIVE.some((w) => lower.includes(w)) && !lower.includes('不满意');
  if (negative) return 'negative';
  if (positive) return 'positive';
  return 'neutral';
}

export interface Evaluation {
  outcome: 'replied' | 'opted-out' | 'no-response';
  csat: number | null;
  sentiment: Sentiment | null;
  escalate: boolean;
  reason: string | null;
}

/** Rulebook section 5: a low CSAT or a negative free-text reply reaches the account manager. */
export function evaluateReplies(replies: readonly ReplyMeaning[], escalateAtOrBelowCsat: number): Evaluation {
  if (replies.some((r) => r.kind === 'optout')) {
    return { outcome: 'opted-out', csat: null, sentiment: null, escalate: false, reason: null };
  }
  const score = replies.find((r) => r.kind === 'score');
  const texts = replies.filter((r) => r.kind === 'text').map((r) => r.value);
  const sentiment = texts.length > 0 ? sentimentOf(texts.join(' ')) : null;
  const csat = score ? score.value : null;
  if (csat !== null && csat <= escalateAtOrBelowCsat) {
    return { outcome: 'replied', csat, sentiment, escalate: true, reason: `low CSAT (${csat}/5)` };
  }
  if (sentiment === 'negative') {
    return { outcome: 'replied', csat, sentiment, escalate: true, reason: 'negative feedback' };
  }
  return { outcome: 'replied', csat, sentiment, escalate: false, reason: null };
}
