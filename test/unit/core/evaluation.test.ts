import { describe, expect, it } from 'vitest';
import { evaluateReplies, sentimentOf } from '../../../functions/core/evaluation.js';

describe('sentimentOf', () => {
  it.each([
    ['快递太慢了，很失望', 'negative'],
    ['我要投诉', 'negative'],
    ['服务不好', 'negative'],
    ['不满意', 'negative'],
    ['The parcel arrived broken', 'negative'],
    ['Worst service, I want a REFUND', 'negative'],
    ['服务很好，谢谢', 'positive'],
    ['非常满意', 'positive'],
    ['Great service, thank you!', 'positive'],
    ['收到了', 'neutral'],
    ['Parcel received', 'neutral'],
  ] as const)('reads %j as %s', (text, sentiment) => {
    expect(sentimentOf(text)).toBe(sentiment);
  });

  it('lets a complaint outweigh thanks in the same reply', () => {
    expect(sentimentOf('谢谢，但是太慢了')).toBe('negative');
  });
});

describe('evaluateReplies', () => {
  it('escalates a CSAT at the threshold to the account manager', () => {
    expect(evaluateReplies([{ kind: 'score', value: 2 }], 2)).toEqual({
      outcome: 'replied',
      csat: 2,
      sentiment: null,
      escalate: true,
      reason: 'low CSAT (2/5)',
    });
  });

  it('does not escalate a CSAT above the threshold', () => {
    expect(evaluateReplies([{ kind: 'score', value: 3 }], 2)).toMatchObject({ csat: 3, escalate: false, reason: null });
  });

  it('follows a configured threshold', () => {
    expect(evaluateReplies([{ kind: 'score', value: 3 }], 3)).toMatchObject({ escalate: true });
  });

  it('escalates negative free text even with a good score', () => {
    const evaluation = evaluateReplies(
      [
        { kind: 'score', value: 4 },
        { kind: 'text', value: '快递太慢' },
      ],
      2,
    );

    expect(evaluation).toMatchObject({ csat: 4, sentiment: 'negative', escalate: true, reason: 'negative feedback' });
  });

  it('does not escalate positive free text', () => {
    expect(evaluateReplies([{ kind: 'text', value: '很好' }], 2)).toEqual({
      outcome: 'replied',
      csat: null,
      sentiment: 'positive',
      escalate: false,
      reason: null,
    });
  });

  it('records an opt-out and escalates nothing, whatever else was said', () => {
    const evaluation = evaluateReplies(
      [
        { kind: 'score', value: 1 },
        { kind: 'optout', value: 'TD' },
      ],
      2,
    );

    expect(evaluation).toEqual({ outcome: 'opted-out', csat: null, sentiment: null, escalate: false, reason: null });
  });
});
