import { validateRecord, type UsageEvent } from '@valuepulse/contracts';
import { mulberry32 } from '@valuepulse/simulation';

const DAY = 86_400_000;
const TYPES = ['LOGIN', 'FEATURE_USED', 'FEATURE_USED', 'FEATURE_USED', 'WORKFLOW_RUN', 'REPORT_VIEWED'] as const;
const ROLES = ['DAILY_USER', 'DAILY_USER', 'DAILY_USER', 'CHAMPION', 'TECHNICAL_OWNER'] as const;
const TEAMS = ['finance', 'ops', 'sales', 'support', 'it', 'hr'];

/**
 * `count` valid usage events (checked by the contract's rules), deterministic
 * for a `seed`: `accounts` accounts × 40 users over `days` days ending
 * 2026-10-31, uuid-like ids, a feature or workflow where the type needs one,
 * and a small `properties` map on a third of them — the shape of real
 * product telemetry, so rows have a realistic width.
 */
export function usageWorkload(count: number, options: { accounts: number; days: number; seed: number }): UsageEvent[] {
  const rnd = mulberry32(options.seed);
  const hex = (digits: number) => Math.floor(rnd() * 16 ** digits).toString(16).padStart(digits, '0');
  const endsAt = Date.UTC(2026, 9, 31);
  const out: UsageEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const account = Math.floor(rnd() * options.accounts);
    const user = Math.floor(rnd() ** 2 * 40);
    const type = TYPES[Math.floor(rnd() * TYPES.length)] ?? 'LOGIN';
    const fields: Record<string, unknown> = {
      event_id: `${i.toString(16).padStart(8, '0')}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
      account_id: `acct-${String(account).padStart(5, '0')}`,
      occurred_at: endsAt - Math.floor(rnd() * options.days * DAY),
      user_id: `u-${String(account).padStart(5, '0')}-${String(user).padStart(3, '0')}`,
      event_type: type,
      team: TEAMS[user % TEAMS.length],
      user_role: ROLES[user % ROLES.length],
    };
    if (type === 'FEATURE_USED' || type === 'REPORT_VIEWED') fields.feature_id = `feature-${Math.floor(rnd() ** 1.5 * 20)}`;
    if (type === 'WORKFLOW_RUN') fields.workflow_id = `wf-${Math.floor(rnd() * 12)}`;
    if (rnd() < 0.33) fields.properties = { plan: rnd() < 0.5 ? 'pro' : 'team', source: rnd() < 0.7 ? 'web' : 'api' };
    const result = validateRecord('UsageEvent', fields);
    if (!result.ok) throw new Error(`workload: invalid UsageEvent: ${result.issues.join('; ')}`);
    out.push(result.value);
  }
  return out;
}
