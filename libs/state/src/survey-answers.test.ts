import { describe, expect, it } from 'vitest';
import { NPS_ANSWERS_KEPT, type SurveyAnswer } from '@valuepulse/scoring';
import { answersOf, CSAT_ANSWER_PREFIX, keepAnswer, NPS_ANSWER_PREFIX, unpackAnswer } from './survey-answers.js';

type NpsAnswer = SurveyAnswer;
const answer = (score: number, at: number, role: NpsAnswer['role'] = null): NpsAnswer => ({ score, at, role });
const keepNpsAnswer = (m: Map<string, NpsAnswer>, user: string, a: NpsAnswer) => keepAnswer(m, user, a, NPS_ANSWERS_KEPT);

function keepAll(list: readonly [string, NpsAnswer][]): Map<string, NpsAnswer> {
  const m = new Map<string, NpsAnswer>();
  for (const [user, a] of list) keepNpsAnswer(m, user, a);
  return m;
}

describe('keepAnswer', () => {
  it("keeps a respondent's latest answer; at equal times the smaller score, then the smaller role", () => {
    const m = new Map<string, NpsAnswer>();
    expect(keepNpsAnswer(m, 'ann', answer(9, 10))).toBe(true);
    expect(keepNpsAnswer(m, 'ann', answer(3, 5))).toBe(false);
    expect(keepNpsAnswer(m, 'ann', answer(4, 10))).toBe(true);
    expect(keepNpsAnswer(m, 'ann', answer(4, 10, 'DAILY_USER'))).toBe(false);
    expect(keepNpsAnswer(m, 'ann', answer(4, 10))).toBe(false);
    expect(m.get('ann')).toEqual(answer(4, 10));
    expect(keepNpsAnswer(m, 'ann', answer(10, 11, 'CHAMPION'))).toBe(true);
    expect(m.get('ann')).toEqual(answer(10, 11, 'CHAMPION'));
  });

  it('keeps the NPS_ANSWERS_KEPT respondents who answered last (ties: the smaller user id), whatever the order', () => {
    // 40 respondents, two answers each, times colliding in pairs so the tie-break decides at the cut
    const list: [string, NpsAnswer][] = [];
    for (let i = 0; i < 40; i += 1) {
      list.push([`u${String(i).padStart(2, '0')}`, answer(i % 11, Math.floor(i / 2) * 10)]);
      list.push([`u${String(i).padStart(2, '0')}`, answer((i + 5) % 11, Math.floor(i / 2) * 10 - 100)]);
    }
    const forward = keepAll(list);
    expect(forward.size).toBe(NPS_ANSWERS_KEPT);
    // the latest 24 by time: u16…u39 (times 80…190)
    expect([...forward.keys()].sort()).toEqual(Array.from({ length: 24 }, (_, i) => `u${i + 16}`));
    const reversed = keepAll([...list].reverse());
    const interleaved = keepAll(list.filter((_, i) => i % 2 === 1).concat(list.filter((_, i) => i % 2 === 0)));
    const sorted = (m: Map<string, NpsAnswer>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
    expect(sorted(reversed)).toEqual(sorted(forward));
    expect(sorted(interleaved)).toEqual(sorted(forward));
  });

  it('at a tie on the cut keeps the smaller user id', () => {
    const list: [string, NpsAnswer][] = Array.from({ length: NPS_ANSWERS_KEPT + 1 }, (_, i) => [`r${String(i).padStart(2, '0')}`, answer(5, 100)]);
    const m = keepAll([...list].reverse());
    expect(m.has(`r${NPS_ANSWERS_KEPT}`)).toBe(false);
    expect(m.has('r00')).toBe(true);
  });
});

describe('stored answers', () => {
  it('unpacks "<score>:<at>:<role>" with an empty role as none, and rejects a malformed one', () => {
    expect(unpackAnswer('7:1760000000000:ECONOMIC_BUYER')).toEqual(answer(7, 1_760_000_000_000, 'ECONOMIC_BUYER'));
    expect(unpackAnswer('10:5:')).toEqual(answer(10, 5));
    expect(() => unpackAnswer('7')).toThrow(/malformed/);
    expect(() => unpackAnswer('x:5:')).toThrow(/malformed/);
  });

  it('reads only the fields of one prefix of the meta hash (nps|<user>, csat|<ticket>)', () => {
    const meta = ['nps', '6', 'nps@', '9', 'nps|ann', '6:9:', 'nps|bob', '10:8:CHAMPION', 'csat|t1', '2:7:DAILY_USER', 'seats', '4'];
    expect(answersOf(meta, NPS_ANSWER_PREFIX)).toEqual({ ann: answer(6, 9), bob: answer(10, 8, 'CHAMPION') });
    expect(answersOf(meta, CSAT_ANSWER_PREFIX)).toEqual({ t1: answer(2, 7, 'DAILY_USER') });
    expect(answersOf([], NPS_ANSWER_PREFIX)).toEqual({});
  });
});
