import { createHash } from 'node:crypto';

/** One native item: `{ topic, value }` as POST /v1/events takes it. */
export interface NativeItem {
  topic: 'usage.events.v1';
  value: Record<string, unknown> & { account_id: string; event_id: string };
}

const TYPES = ['LOGIN', 'FEATURE_USED', 'FEATURE_USED', 'WORKFLOW_RUN', 'REPORT_VIEWED'] as const;
const FEATURES = ['dashboards', 'exports', 'alerts', 'sso', 'api', 'reports', 'search', 'billing'];

/**
 * `n` deterministic usage events (`seed`) over `accounts` accounts of 25
 * users each, in the last day: what a product's tracking sends.
 */
export function usageItems(n: number, options: { accounts: number; seed: number; endsAt: number }): NativeItem[] {
  const items: NativeItem[] = [];
  for (let i = 0; i < n; i++) {
    const h = createHash('sha1').update(`${options.seed}:${i}`).digest();
    const account = h.readUInt32BE(0) % options.accounts;
    const type = TYPES[h[4] as number % TYPES.length] as (typeof TYPES)[number];
    const value: NativeItem['value'] = {
      event_id: `bench-${options.seed}-${h.toString('hex', 8, 16)}-${i}`,
      account_id: `acct-${String(account).padStart(5, '0')}`,
      occurred_at: new Date(options.endsAt - (h.readUInt32BE(12) % 86_400_000)).toISOString(),
      user_id: `u-${account}-${h[5] as number % 25}`,
      event_type: type,
      ...(type === 'FEATURE_USED' ? { feature_id: FEATURES[h[6] as number % FEATURES.length] } : {}),
      ...(type === 'WORKFLOW_RUN' ? { workflow_id: `wf-${h[7] as number % 12}` } : {}),
      team: `team-${h[8] as number % 4}`,
    };
    items.push({ topic: 'usage.events.v1', value });
  }
  return items;
}

/** Request bodies of `size` items each (the last may be shorter), as JSON arrays. */
export function bodies(items: readonly NativeItem[], size: number): { body: string; records: number }[] {
  const out: { body: string; records: number }[] = [];
  for (let i = 0; i < items.length; i += size) {
    const slice = items.slice(i, i + size);
    out.push({ body: JSON.stringify(slice), records: slice.length });
  }
  return out;
}
