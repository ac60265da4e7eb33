import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import en from '../../../functions/core/lexicon/en-US.json' with { type: 'json' };
import zh from '../../../functions/core/lexicon/zh-CN.json' with { type: 'json' };
import { COMPLAINT_CATEGORIES } from '../../../functions/core/records.js';
import { analyzeText } from '../../../functions/core/text-analysis.js';

const sentimentSchema = z.enum(['negative', 'neutral', 'positive']);
const intentSchema = z.enum(['complaint', 'question', 'suggestion', 'praise', 'other']);
const analysisSchema = z.strictObject({
  sentiment: sentimentSchema,
  score: z.number().finite(),
  categories: z.array(z.enum(COMPLAINT_CATEGORIES)),
  category: z.enum(COMPLAINT_CATEGORIES).nullable(),
  intent: intentSchema,
  businessStopped: z.boolean(),
  majorComplaint: z.boolean(),
});

describe('analyzeText: sentiment', () => {
  it.each([
    ['满意', 'positive'],
    ['不满意', 'negative'],
    ['并不满意', 'negative'],
    ['不是很满意', 'negative'],
    ['不错', 'positive'],
    ['没问题', 'positive'],
    ['没有任何问题，很满意', 'positive'],
    ['不太好', 'negative'],
    ['一点也不好', 'negative'],
    ['一点都不好用', 'negative'],
    ['没有想象中那么好', 'negative'],
    ['没想到质量这么好', 'positive'],
    ['还没发货', 'negative'],
    ['这不是违约吗？', 'negative'],
    ['不知道好不好', 'neutral'],
  ])('reads the Chinese negation in %j as %s', (text, sentiment) => {
    expect(analyzeText(text).sentiment).toBe(sentiment);
  });

  it.each([
    ['good', 'positive'],
    ['not good', 'negative'],
    ['not bad at all', 'positive'],
    ['The parcel never arrived', 'negative'],
    ["It isn't working", 'negative'],
    ['It does not work as described', 'negative'],
    ['No problems at all', 'positive'],
    ['Not as good as I hoped', 'negative'],
    ['Hardly any improvement', 'negative'],
    ["Haven't used it yet, not sure if it's any good", 'neutral'],
    ["Can't complain", 'positive'],
  ])('reads the English negation in %j as %s', (text, sentiment) => {
    expect(analyzeText(text).sentiment).toBe(sentiment);
  });

  it('reads a negated negative as milder praise than the plain positive', () => {
    // Act
    const notBad = analyzeText('not bad').score;
    const good = analyzeText('good').score;

    // Assess
    expect(notBad).toBeGreaterThan(0);
    expect(notBad).toBeLessThan(good);
  });

  it.each([
    ['很满意', '满意'],
    ['非常满意', '很满意'],
    ['very good', 'good'],
    ['extremely helpful', 'helpful'],
  ])('scores the intensified %j above %j', (stronger, plain) => {
    expect(analyzeText(stronger).score).toBeGreaterThan(analyzeText(plain).score);
  });

  it.each([
    ['有点慢', '慢'],
    ['慢', '太慢'],
    ['a bit slow', 'slow'],
    ['expensive', 'way too expensive'],
  ])('scores %j as milder than %j', (milder, stronger) => {
    // Act
    const [a, b] = [analyzeText(milder).score, analyzeText(stronger).score];

    // Assess
    expect(a).toBeLessThan(0);
    expect(Math.abs(a)).toBeLessThan(Math.abs(b));
  });

  it.each([
    ['快递', 0],
    ['好的', 0],
    ['你好，请问在吗', 0],
  ])('matches the longest term, so %j carries no sentiment from its parts', (text, score) => {
    expect(analyzeText(text).score).toBe(score);
  });

  it.each([
    ['东西不错，就是价格贵了点', 'neutral'],
    ['客服态度很好，但是问题一直没解决', 'negative'],
    ['Support was polite but the problem still is not fixed', 'negative'],
  ])('weighs the clause after a contrast more in %j (%s)', (text, sentiment) => {
    expect(analyzeText(text).sentiment).toBe(sentiment);
  });

  it.each([
    ['👍', 'positive'],
    ['😡', 'negative'],
    ['👎👎', 'negative'],
    ['不错👍', 'positive'],
    ['2分', 'negative'],
    ['５分，非常满意', 'positive'],
    ['9/10', 'positive'],
    ['1 star', 'negative'],
  ])('reads the emoji or rating in %j as %s', (text, sentiment) => {
    expect(analyzeText(text).sentiment).toBe(sentiment);
  });

  it('stays neutral on politeness alone', () => {
    expect(analyzeText('谢谢关心').sentiment).toBe('neutral');
    expect(analyzeText('thanks').sentiment).toBe('neutral');
  });
});

describe('analyzeText: complaint categories', () => {
  it.each([
    ['用了一个月就开胶了，质量太差', 'product-quality'],
    ['The blender stopped working after a week', 'product-quality'],
    ['客服电话一直打不通', 'service'],
    ['The support agent was rude', 'service'],
    ['价格比别家贵', 'price'],
    ['You overcharged us on the last order', 'price'],
    ['合同条款跟当时谈的不一样', 'contract-dispute'],
    ['This is a breach of our agreement', 'contract-dispute'],
    ['快递三天了还没到', 'logistics'],
    ['The courier left the parcel in the rain', 'logistics'],
  ])('files %j under %s', (text, category) => {
    expect(analyzeText(text).category).toBe(category);
  });

  it.each([
    ['包装破损严重，里面的东西也坏了', ['logistics', 'product-quality']],
    ['质量很好，就是快递有点慢', ['logistics', 'product-quality']],
    ['Delivery was on time but the item was scratched', ['product-quality', 'logistics']],
    ['You promised delivery in 7 days; what about the late delivery penalty in our contract?', ['contract-dispute', 'logistics']],
  ])('ranks the categories of %j strongest first', (text, ranked) => {
    // Act
    const { categories, category } = analyzeText(text);

    // Assess
    expect(categories).toEqual(ranked);
    expect(category).toBe(ranked[0]);
  });

  it.each(['谢谢，新年快乐', 'Thanks, happy holidays!', '收到', ''])('names no category for %j', (text) => {
    expect(analyzeText(text)).toMatchObject({ category: null, categories: [] });
  });

  it('counts a repeated keyword once, so saying it again does not outrank a stronger one', () => {
    const { category } = analyzeText('Delivery, delivery, delivery, delivery. See the contract.');
    expect(category).toBe('contract-dispute');
  });
});

describe('analyzeText: intent', () => {
  it.each([
    ['快递太慢了，等了一个星期', 'complaint'],
    ['请问春节期间还发货吗？', 'question'],
    ['如何申请售后维修', 'question'],
    ['建议增加夜间配送', 'suggestion'],
    ['希望客服响应能再快一点', 'suggestion'],
    ['服务很好，点赞', 'praise'],
    ['收到', 'other'],
    ['东西不错，就是价格贵了点', 'complaint'],
    ['为什么还没退款？', 'complaint'],
    ['The box was crushed', 'complaint'],
    ['Do you ship during the holidays?', 'question'],
    ['how can i track my order', 'question'],
    ['Suggest adding evening delivery slots.', 'suggestion'],
    ['Would be nice if you offered gift wrapping', 'suggestion'],
    ['Would be nice to have free return pickup, returning stuff is a hassle.', 'suggestion'],
    ['Great service, thank you!', 'praise'],
    ['ok', 'other'],
    ['Why was I charged twice?', 'complaint'],
  ])('reads %j as a %s', (text, intent) => {
    expect(analyzeText(text).intent).toBe(intent);
  });
});

describe('analyzeText: severity-A cues', () => {
  it.each([
    '你们的设备把我们生产线搞停了，已经停工两天了',
    '店里POS机连不上，今天没法营业了',
    'Our production line has been down since Monday because your pump failed',
    "Card terminals are offline, we can't take payments",
    'Because you ran out of stock our shop has been shut for three days',
  ])('sees a business stopped by the issue in %j', (text) => {
    // Act
    const analysis = analyzeText(text);

    // Assess
    expect(analysis).toMatchObject({ businessStopped: true, sentiment: 'negative', intent: 'complaint' });
  });

  it.each([
    '我们公司已经停业整顿了，年后再联系',
    "We're closed for the holidays until the 8th, will get back to you then.",
    '生产线运行正常，谢谢',
  ])('does not take a planned closure or a running line for a stop: %j', (text) => {
    expect(analyzeText(text).businessStopped).toBe(false);
  });

  it.each([
    '再不退款我就去12315投诉你们',
    '我们已经请了律师',
    '要是再这样我就发微博曝光你们',
    '已经向消协投诉了',
    'Our lawyer will be in touch.',
    "I'm filing a chargeback",
    'We will be taking legal action',
    'I have filed a complaint with the consumer protection agency',
  ])('sees a major complaint in %j', (text) => {
    expect(analyzeText(text)).toMatchObject({ majorComplaint: true, sentiment: 'negative', intent: 'complaint' });
  });

  it.each(['质量不错，谢谢', 'Great quality, thanks!', '快递太慢了', 'The parcel arrived damaged'])(
    'raises no severity-A cue for %j',
    (text) => {
      expect(analyzeText(text)).toMatchObject({ businessStopped: false, majorComplaint: false });
    },
  );
});

describe('analyzeText: language', () => {
  it.each([
    ['快递太慢了', 'zh-CN'],
    ['Delivery was too slow', 'en-US'],
  ] as const)('detects the language of %j as the given locale would', (text, locale) => {
    expect(analyzeText(text)).toEqual(analyzeText(text, locale));
  });

  it('reads mixed text with both lexicons', () => {
    // Act
    const analysis = analyzeText('quality很差, and the delivery太慢了');

    // Assess
    expect(analysis.sentiment).toBe('negative');
    expect(analysis.categories).toEqual(expect.arrayContaining(['product-quality', 'logistics']));
  });

  it('still reads the text when the given locale does not match it', () => {
    expect(analyzeText('不满意，客服态度太差', 'en-US')).toMatchObject({ sentiment: 'negative', category: 'service' });
  });

  it('normalizes full-width characters and case before matching', () => {
    expect(analyzeText('ＮＯＴ ＧＯＯＤ').sentiment).toBe('negative');
    expect(analyzeText('ＤＥＬＩＶＥＲＹ was LATE').category).toBe('logistics');
  });
});

describe('analyzeText: any input', () => {
  it.each([
    ['empty', ''],
    ['whitespace', ' \t\n　 '],
    ['emoji only', '🎄🎁✨'],
    ['punctuation only', '？！。…,,,'],
    ['control characters', '\u0000\u0001\u001f'],
    ['a lone surrogate', '\ud800abc'],
    ['right-to-left override', '\u202egood'],
    ['markup', '<script>alert("不满意")</script>'],
    ['regex metacharacters', '.*+?^{}$()|[]\\/'],
    ['digits', '1234567890'],
    ['very long', '快递太慢了 the parcel was late '.repeat(50_000)],
  ])('never throws and returns a well-formed analysis for %s input', (_name, text) => {
    // Act
    const analysis = analyzeText(text);

    // Assess
    expect(analysisSchema.parse(analysis)).toEqual(analysis);
  });

  it.each([null, undefined, 42, {}])('reads a non-string (%j) from an untyped caller as nothing', (value) => {
    expect(analyzeText(value as unknown as string)).toMatchObject({ sentiment: 'neutral', intent: 'other', category: null });
  });

  it.each([
    ['', 'neutral', 'other'],
    ['   ', 'neutral', 'other'],
    ['🎄', 'neutral', 'other'],
  ])('reads %j as neutral "%s" and "%s"', (text, sentiment, intent) => {
    expect(analyzeText(text)).toMatchObject({ sentiment, intent, score: 0 });
  });

  it('is not fooled by a zero-width space inside 不满意', () => {
    expect(analyzeText('不\u200b满意').sentiment).toBe('negative');
  });

  it('reads only the first 10,000 characters of a huge reply', () => {
    // Prepare
    const padding = '。'.repeat(10_000);

    // Act
    const threatAtTheEnd = analyzeText(`${padding}我们已经请了律师`);

    // Assess
    expect(threatAtTheEnd.majorComplaint).toBe(false);
  });
});

describe('lexicons', () => {
  it.each([
    ['zh-CN', zh],
    ['en-US', en],
  ] as const)('%s names every complaint category and no other', (_locale, lexicon) => {
    expect(Object.keys(lexicon.categories).sort()).toEqual([...COMPLAINT_CATEGORIES].sort());
  });

  it.each([
    ['zh-CN', zh],
    ['en-US', en],
  ] as const)('%s lists several dozen entries for each kind of term', (_locale, lexicon) => {
    // Prepare
    const sizes = {
      positive: Object.keys(lexicon.positive).length,
      negative: Object.keys(lexicon.negative).length,
      negators: lexicon.negators.length,
      intensifiers: Object.keys(lexicon.intensifiers).length,
      question: lexicon.question.length,
      suggestion: lexicon.suggestion.length,
      businessStopped: lexicon.businessStopped.length,
      majorComplaint: lexicon.majorComplaint.length,
      ...Object.fromEntries(
        Object.entries(lexicon.categories).map(([category, keywords]) => [category, Object.keys(keywords).length]),
      ),
    };

    // Assess
    expect(Object.entries(sizes).filter(([, size]) => size < 24)).toEqual([]);
  });

  it.each([
    ['zh-CN', zh],
    ['en-US', en],
  ] as const)('%s never lists a term as both positive and negative', (_locale, lexicon) => {
    const both = Object.keys(lexicon.positive).filter((term) => term in lexicon.negative);
    expect(both).toEqual([]);
  });
});
