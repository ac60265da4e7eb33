import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../../functions/core/replies.js';

describe('classifyReply', () => {
  it.each([
    ['5', 5],
    ['1', 1],
    [' 4 ', 4],
    ['５', 5],
    ['１', 1],
    ['3。', 3],
    ['5!', 5],
    ['４！', 4],
    ['2.', 2],
  ])('reads %j as the score %i', (raw, value) => {
    expect(classifyReply(raw)).toEqual({ kind: 'score', value });
  });

  it.each(['0', '6', '10', '55'])('reads %j, outside the 1-5 scale, as text', (raw) => {
    expect(classifyReply(raw)).toEqual({ kind: 'text', value: raw });
  });

  it.each([
    ['0', 0],
    ['10', 10],
    ['１０', 10],
  ])('reads %j as %i on a 0-10 (NPS) scale', (raw, value) => {
    expect(classifyReply(raw, { min: 0, max: 10 })).toEqual({ kind: 'score', value });
  });

  it.each([
    ['STOP', 'STOP'],
    ['stop', 'stop'],
    ['Stop.', 'Stop'],
    [' TD ', 'TD'],
    ['td', 'td'],
    ['退订', '退订'],
    ['退订。', '退订'],
    ['unsubscribe', 'unsubscribe'],
    ['UNSUBSCRIBE!', 'UNSUBSCRIBE'],
    ['ＴＤ', 'TD'],
  ])('reads %j as an opt-out', (raw, value) => {
    expect(classifyReply(raw)).toEqual({ kind: 'optout', value });
  });

  it.each(['服务很好 谢谢', 'stop sending me these please', '5 stars', '我不想退订', 'The parcel arrived broken'])(
    'reads %j as free text',
    (raw) => {
      expect(classifyReply(raw)).toEqual({ kind: 'text', value: raw });
    },
  );
});

describe('classifyReply: a score followed by a comment', () => {
  it.each([
    ['1，客服一直不回电话', 1, '客服一直不回电话'],
    ['2分，物流太慢了', 2, '物流太慢了'],
    ['４. Delivery was slow', 4, 'Delivery was slow'],
    ['5 - great service!', 5, 'great service!'],
  ])('reads %j as the score %i with the comment %j', (raw, value, comment) => {
    expect(classifyReply(raw)).toEqual({ kind: 'score', value, comment });
  });

  it.each(['1.5', '12, hi', '6, too many messages', '5 stars'])('reads %j as free text', (raw) => {
    expect(classifyReply(raw)).toEqual({ kind: 'text', value: raw });
  });
});
