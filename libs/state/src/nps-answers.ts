import type { AccountState, NpsAnswer } from '@valuepulse/scoring';
import { NPS_ANSWERS_KEPT } from '@valuepulse/scoring';

type Role = NonNullable<NpsAnswer['role']>;

/** Meta-hash field prefix of a respondent's latest NPS answer: `nps|<user>` → `<score>:<at>:<role>` (see LAYOUT.md). */
export const NPS_ANSWER_PREFIX = 'nps|';

/**
 * A stored answer `<score>:<at>:<role>` (role empty for none).
 *
 * @throws Error when the value is not of that shape (a bug or foreign writes).
 */
export function unpackNpsAnswer(value: string): NpsAnswer {
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  const score = Number(value.slice(0, first));
  const at = Number(value.slice(first + 1, second));
  if (first < 0 || second < 0 || !Number.isFinite(score) || !Number.isFinite(at)) throw new Error(`malformed NPS answer "${value}"`);
  const role = value.slice(second + 1);
  return { score, at, role: role === '' ? null : (role as Role) };
}

/** The respondents' answers among a meta hash's fields (flat: field, value, …). */
export function npsAnswersOf(flatMeta: readonly string[]): NonNullable<AccountState['npsAnswers']> {
  const out: NonNullable<AccountState['npsAnswers']> = {};
  for (let i = 0; i + 1 < flatMeta.length; i += 2) {
    const field = flatMeta[i] as string;
    if (field.startsWith(NPS_ANSWER_PREFIX)) out[field.slice(NPS_ANSWER_PREFIX.length)] = unpackNpsAnswer(flatMeta[i + 1] as string);
  }
  return out;
}

/**
 * Keeps `answer` of `user` in `answers` with the apply script's rule: a
 * respondent's latest answer (at equal times the smaller score, then the
 * smaller role), for the NPS_ANSWERS_KEPT respondents who answered last
 * (at equal times the smaller user id stays). Mutates `answers`.
 *
 * @returns whether anything changed.
 */
export function keepNpsAnswer(answers: Map<string, NpsAnswer>, user: string, answer: NpsAnswer): boolean {
  const cur = answers.get(user);
  if (cur !== undefined) {
    const role = answer.role ?? '';
    const curRole = cur.role ?? '';
    if (answer.at < cur.at || (answer.at === cur.at && (answer.score > cur.score || (answer.score === cur.score && role >= curRole)))) return false;
  }
  answers.set(user, answer);
  if (answers.size <= NPS_ANSWERS_KEPT) return true;
  const ranked = [...answers].sort(([ua, a], [ub, b]) => b.at - a.at || (ua < ub ? -1 : ua > ub ? 1 : 0));
  for (const [u] of ranked.slice(NPS_ANSWERS_KEPT)) answers.delete(u);
  return true;
}
