import { describe, expect, it } from 'vitest';
import { type Answer, evaluateAnswer, npsCategoryOf } from '../../../functions/core/evaluation.js';

const answer = (given: Partial<Answer>): Answer => ({ csat: null, nps: null, texts: [], optedOut: false, ...given });

describe('npsCategoryOf (rulebook section 5)', () => {
  it.each([
    [10, 'promoter'],
    [9, 'promoter'],
    [8, 'passive'],
    [7, 'passive'],
    [6, 'detractor'],
    [0, 'detractor'],
  ] as const)('reads NPS %i as a %s', (nps, category) => {
    expect(npsCategoryOf(nps)).toBe(category);
  });
});

describe('evaluateAnswer: the severity of the issue an answer raises (rulebook section 5)', () => {
  it.each([
    ['a stopped business', answer({ texts: ['你们的设备坏了，我们工厂已经停产两天了！'] }), 'A', 'business stopped'],
    [
      'a legal threat',
      answer({ texts: ['If this is not fixed by Friday our lawyer will be in touch.'] }),
      'A',
      'major complaint',
    ],
    ['a contract dispute', answer({ texts: ['你们违反了合同条款，发票金额和合同不符'] }), 'A', 'contract dispute'],
    ['a CSAT at the threshold', answer({ csat: 2 }), 'B', 'low CSAT (2/5)'],
    ['a detractor NPS', answer({ nps: 5 }), 'B', 'detractor (NPS 5/10)'],
    [
      'a logistics complaint with a good score',
      answer({ csat: 4, texts: ['快递太慢了，包装还破损了'] }),
      'B',
      'complaint: logistics',
    ],
    ['a question', answer({ csat: 5, texts: ['How do I change my delivery address?'] }), 'C', 'question'],
    ['a suggestion', answer({ csat: 4, texts: ['建议增加周末送货的选项'] }), 'C', 'suggestion'],
  ] as const)('raises a %s as severity %s', (_what, given, severity, reason) => {
    expect(evaluateAnswer(given, 2)).toMatchObject({ outcome: 'replied', severity, escalate: true, reason });
  });

  it.each([
    ['a good score', answer({ csat: 5 })],
    ['a score above the threshold', answer({ csat: 3 })],
    ['a promoter', answer({ nps: 9 })],
    ['praise', answer({ texts: ['服务很好，谢谢！'] })],
    ['a neutral acknowledgement', answer({ texts: ['收到'] })],
  ])('raises nothing for %s', (_what, given) => {
    expect(evaluateAnswer(given, 2)).toMatchObject({ outcome: 'replied', severity: null, escalate: false, reason: null });
  });

  it("follows the campaign's CSAT threshold", () => {
    expect(evaluateAnswer(answer({ csat: 3 }), 3)).toMatchObject({ severity: 'B', escalate: true });
  });

  it('reports the scores, the NPS category, the sentiment and the category it read', () => {
    expect(evaluateAnswer(answer({ csat: 4, nps: 8, texts: ['Delivery was late again'] }), 2)).toMatchObject({
      csat: 4,
      nps: 8,
      npsCategory: 'passive',
      sentiment: 'negative',
      category: 'logistics',
    });
  });

  it('records an opt-out and raises nothing, whatever else was said', () => {
    expect(evaluateAnswer(answer({ csat: 1, texts: ['差评'], optedOut: true }), 2)).toMatchObject({
      outcome: 'opted-out',
      severity: null,
      escalate: false,
    });
  });
});
