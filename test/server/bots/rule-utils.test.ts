import { describe, expect, it } from 'vitest';
import { unsafeRegexReason } from '../../../server/src/modules/bots/check-regex.util.ts';
import { decideAutoReply, type AutoReplyInput } from '../../../server/src/modules/bots/decide-auto-reply.util.ts';
import { compileReplyTemplate } from '../../../server/src/modules/bots/reply-template.util.ts';

describe('unsafeRegexReason', () => {
  it.each(['价格|多少钱', '多少钱.*', '\\d+元', '(先生|女士)?您好', '^[A-Z]{2,4}\\d{3}$', '\\p{Script=Han}+', '(?:优惠券|折扣)码?', '[(+*]', 'a{3}b{2}c+'])('accepts %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeNull();
  });

  it.each([
    ['(a+)+$', /repeats a group/],
    ['(a|aa)*b', /repeats a group/],
    ['(?:x*y?)+', /repeats a group/],
    ['.*a.*b', /repeats more than once/],
    ['\\d+\\s+\\d+', /repeats more than once/],
    ['(a)\\1', /backreference/],
    ['(?<q>a)\\k<q>', /backreference/],
    ['(?=a)b', /lookaround/],
    ['(?<!a)b', /lookaround/],
    ['a?b?c?d?e?f?', /optional/],
    ['价格(', /not a valid/],
    ['', /empty/],
    ['x'.repeat(201), /longer than 200/],
  ])('refuses %s', (pattern, reason) => {
    expect(unsafeRegexReason(pattern)).toMatch(reason);
  });

  it('accepted patterns stay fast on a 2,000-character adversarial message', () => {
    for (const pattern of ['多少钱.*', '\\d+元', '(先生|女士)?您好', 'a.*b']) {
      const regex = new RegExp(pattern, 'iu');
      const started = performance.now();
      regex.test('a'.repeat(2000));
      regex.test('1'.repeat(2000));
      expect(performance.now() - started).toBeLessThan(100);
    }
  });
});

describe('decideAutoReply', () => {
  const now = new Date('2026-11-25T10:00:00Z');
  const base: AutoReplyInput = { fromSelf: false, contactKind: 'individual', inRoom: false, mentionSelf: false, text: '多少钱', recentAutoReplies: [], now, cap: { maxPerContact: 3, windowMs: 600_000 } };
  const sentAgo = (minutes: number, text = '价格表已发您') => ({ text, at: new Date(now.getTime() - minutes * 60_000) });

  it.each<[string, Partial<AutoReplyInput>, ReturnType<typeof decideAutoReply>]>([
    ['a person asking', {}, { reply: true }],
    ['our own message', { fromSelf: true }, { reply: false, reason: 'from_self' }],
    ['an official account', { contactKind: 'official' }, { reply: false, reason: 'not_a_person' }],
    ['a room without mention', { inRoom: true }, { reply: false, reason: 'room_without_mention' }],
    ['a room with mention', { inRoom: true, mentionSelf: true }, { reply: true }],
    ['an echo of a recent reply', { text: ' 价格表已发您 ', recentAutoReplies: [sentAgo(30)] }, { reply: false, reason: 'echo' }],
    ['an echo of an old reply', { text: '价格表已发您', recentAutoReplies: [sentAgo(90)] }, { reply: true }],
    ['the fourth within the window', { recentAutoReplies: [sentAgo(1), sentAgo(2), sentAgo(9)] }, { reply: false, reason: 'capped' }],
    ['the fourth after the window', { recentAutoReplies: [sentAgo(1), sentAgo(2), sentAgo(11)] }, { reply: true }],
  ])('%s', (_case, change, expected) => {
    expect(decideAutoReply({ ...base, ...change })).toEqual(expected);
  });
});

describe('compileReplyTemplate', () => {
  it('renders customer variables as plain text, unescaped', () => {
    const render = compileReplyTemplate('{{nickname}}您好{{#if remark}}（{{remark}}）{{/if}}，{{brandName}}');
    expect(render({ nickname: 'Tom & <Jerry>', name: '', remark: '', brandName: '私域' })).toBe('Tom & <Jerry>您好，私域');
  });

  it.each(['{{phone}}', '{{> partial}}', '{{#each}}', '{{unknownHelper nickname}}'])('refuses %s', (source) => {
    expect(() => compileReplyTemplate(source)).toThrow();
  });
});
