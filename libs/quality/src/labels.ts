import type { Outcome } from './outcomes.js';
import { z } from 'zod';

/** What happened at the account's renewal inside the scenario. */
export const outcomeLabelSchema = z.object({
  kind: z.enum(['RENEWED', 'DOWNGRADED', 'CHURNED']),
  /** Event time of the outcome event, ISO 8601. */
  at: z.iso.datetime({ offset: true }),
  /** ARR before the renewal, and what the outcome lost (0 when renewed). */
  arr_before: z.number().nonnegative(),
  arr_lost: z.number().nonnegative(),
});

export type OutcomeLabel = z.infer<typeof outcomeLabelSchema>;

/** One labelled account of a scenario, as the simulator writes it (JSON Lines, one per line). */
export const accountLabelSchema = z.object({
  account_id: z.string().min(1),
  archetype: z.string().min(1),
  at_risk: z.boolean(),
  /** Scenario day of the onset (day 0 is the first day); null when healthy. */
  onset_day: z.number().int().nullable(),
  /** Event time of the onset, epoch ms; null when healthy. */
  onset_at: z.number().nullable(),
  /** The signals the behaviour is built to move. */
  expected_signals: z.array(z.string()),
  /** The renewal's outcome; null when the renewal falls after the scenario, absent in labels written before outcomes existed (read as null). */
  outcome: outcomeLabelSchema.nullable().default(null),
});

export type AccountLabel = z.infer<typeof accountLabelSchema>;

/**
 * Parses a labels file (JSON Lines; blank lines ignored; other fields kept out).
 *
 * @throws Error naming the line and what is wrong, for the first bad line;
 *   also when an at-risk account has no onset or an account id repeats.
 */
export function parseLabels(text: string): AccountLabel[] {
  const labels: AccountLabel[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new Error(`labels line ${i + 1}: not JSON (${(err as Error).message})`);
    }
    const parsed = accountLabelSchema.safeParse(json);
    if (!parsed.success) throw new Error(`labels line ${i + 1}: ${parsed.error.issues.map((p) => `${p.path.join('.') || 'line'}: ${p.message}`).join('; ')}`);
    const label = parsed.data;
    if (label.at_risk && label.onset_at === null) throw new Error(`labels line ${i + 1}: at-risk account ${label.account_id} has no onset_at`);
    if (seen.has(label.account_id)) throw new Error(`labels line ${i + 1}: account ${label.account_id} appears twice`);
    seen.add(label.account_id);
    labels.push(label);
  });
  return labels;
}

/** The outcomes the labels record (accounts without one are left out), as {@link Outcome}s by time then account. */
export function labelOutcomes(labels: readonly AccountLabel[]): Outcome[] {
  const out: Outcome[] = [];
  for (const l of labels) {
    if (!l.outcome) continue;
    const at = Date.parse(l.outcome.at);
    out.push({ account_id: l.account_id, kind: l.outcome.kind, at, renewal_at: null, arr_before: l.outcome.arr_before, arr_lost: l.outcome.arr_lost });
  }
  return out.sort((a, b) => a.at - b.at || (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : 0));
}
