import type { AccountState, SurveyAnswer } from '@valuepulse/scoring';

type Role = NonNullable<SurveyAnswer['role']>;

/** Meta-hash field prefix of a respondent's latest NPS answer: `nps|<user>` → `<score>:<at>:<role>` (see LAYOUT.md). */
export const NPS_ANSWER_PREFIX = 'nps|';

/** Meta-hash field prefix of a ticket's latest CSAT answer: `csat|<ticket>` → `<score>:<at>:<role>` (see LAYOUT.md). */
export const CSAT_ANSWER_PREFIX = 'csat|';

/**
 * A stored answer `<score>:<at>:<role>` (role empty for none).
 *
 * @throws Error when the value is not of that shape (a bug or foreign writes).
 */
export function unpackAnswer(value: string): SurveyAnswer {
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  const score = Number(value.slice(0, first));
  const at = Number(value.slice(first + 1, second));
  if (first < 0 || second < 0 || !Number.isFinite(score) || !Number.isFinite(at)) throw new Error(`malformed survey answer "${value}"`);
  const role = value.slice(second + 1);
  return { score, at, role: role === '' ? null : (role as Role) };
}

/** The answers under `prefix` among a meta hash's fields (flat: field, value, …), keyed by what follows the prefix. */
export function answersOf(flatMeta: readonly string[], prefix: string): NonNullable<AccountState['npsAnswers']> {
  const out: NonNullable<AccountState['npsAnswers']> = {};
  for (let i = 0; i + 1 < flatMeta.length; i += 2) {
    const field = flatMeta[i] as string;
    if (field.startsWith(prefix)) out[field.slice(prefix.length)] = unpackAnswer(flatMeta[i + 1] as string);
  }
  return out;
}

/**
 * Keeps `answer` under `key` (a respondent, a ticket) in `answers` with the
 * apply script's rule: a key's latest answer (at equal times the smaller
 * score, then the smaller role), for the `kept` keys answered last (at
 * equal times the smaller key stays). Mutates `answers`.
 *
 * @returns whether anything changed.
 */
export function keepAnswer(answers: Map<string, SurveyAnswer>, key: string, answer: SurveyAnswer, kept: number): boolean {
  const cur = answers.get(key);
  if (cur !== undefined) {
    const role = answer.role ?? '';
    const curRole = cur.role ?? '';
    if (answer.at < cur.at || (answer.at === cur.at && (answer.score > cur.score || (answer.score === cur.score && role >= curRole)))) return false;
  }
  answers.set(key, answer);
  if (answers.size <= kept) return true;
  const ranked = [...answers].sort(([ka, a], [kb, b]) => b.at - a.at || (ka < kb ? -1 : ka > kb ? 1 : 0));
  for (const [k] of ranked.slice(kept)) answers.delete(k);
  return true;
}
