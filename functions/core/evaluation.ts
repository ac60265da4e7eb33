import type { ComplaintCategory, Severity } from './records.js';
import { analyzeText, type Intent, type Sentiment } from './text-analysis.js';

export type { Sentiment };
export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** What a customer answered, read off the touch: scores as given, free text in their words. */
export interface Answer {
  /** CSAT 1-5. */
  csat: number | null;
  /** NPS 0-10. */
  nps: number | null;
  /** Free text: an SMS or e-mail reply, the survey comment, text answers. */
  texts: readonly string[];
  optedOut: boolean;
}

export interface Evaluation {
  outcome: 'replied' | 'opted-out';
  csat: number | null;
  nps: number | null;
  npsCategory: NpsCategory | null;
  sentiment: Sentiment | null;
  category: ComplaintCategory | null;
  intent: Intent | null;
  /** The severity (rulebook section 5), or null when the answer raises none. */
  severity: Severity | null;
  /** A manager must hear of it: a ticket is opened. */
  escalate: boolean;
  reason: string | null;
}

/** Rulebook section 5: promoters 9-10, passives 7-8, detractors 0-6. */
export function npsCategoryOf(nps: number): NpsCategory {
  if (nps >= 9) return 'promoter';
  if (nps >= 7) return 'passive';
  return 'detractor';
}

/**
 * Reads an answer (rulebook section 5) and decides the issue it raises:
 * - A: the customer's business is stopped, a contract dispute, or a major complaint (legal threats,
 *   regulators, media): respond within 2 h;
 * - B: a defect or service failure (negative free text), a CSAT at or below the campaign's threshold, or a
 *   detractor NPS (0-6): respond within 24 h;
 * - C: a question or a suggestion: respond within 48 h;
 * - none: praise, neutral acknowledgements and good scores.
 */
export function evaluateAnswer(answer: Answer, escalateAtOrBelowCsat: number): Evaluation {
  const npsCategory = answer.nps === null ? null : npsCategoryOf(answer.nps);
  const text = answer.texts.filter((t) => t.trim() !== '').join('\n');
  const analysis = text === '' ? null : analyzeText(text);
  const base = {
    csat: answer.csat,
    nps: answer.nps,
    npsCategory,
    sentiment: analysis?.sentiment ?? null,
    category: analysis?.category ?? null,
    intent: analysis?.intent ?? null,
  };
  if (answer.optedOut) return { ...base, outcome: 'opted-out', severity: null, escalate: false, reason: null };
  const raise = (severity: Severity, reason: string): Evaluation => ({
    ...base,
    outcome: 'replied',
    severity,
    escalate: true,
    reason,
  });
  if (analysis?.businessStopped) return raise('A', 'business stopped');
  if (analysis?.majorComplaint) return raise('A', 'major complaint');
  if (analysis?.category === 'contract-dispute' && analysis.sentiment !== 'positive') return raise('A', 'contract dispute');
  if (answer.csat !== null && answer.csat <= escalateAtOrBelowCsat) return raise('B', `low CSAT (${answer.csat}/5)`);
  if (npsCategory === 'detractor') return raise('B', `detractor (NPS ${answer.nps}/10)`);
  if (analysis?.sentiment === 'negative') {
    return raise('B', analysis.category ? `complaint: ${analysis.category}` : 'negative feedback');
  }
  if (analysis?.intent === 'question') return raise('C', 'question');
  if (analysis?.intent === 'suggestion') return raise('C', 'suggestion');
  return { ...base, outcome: 'replied', severity: null, escalate: false, reason: null };
}
