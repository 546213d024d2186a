#!/usr/bin/env node
// Writes N valid UsageEvent JSON Lines to stdout (deterministic), for
// measuring `valuepulse produce`:
//   node scripts/make-usage-events.mjs 100000 > /tmp/usage.jsonl
//   npx valuepulse produce --topic usage.events.v1 --file /tmp/usage.jsonl
const n = Number(process.argv[2] ?? 100_000);
const types = ['LOGIN', 'FEATURE_USED', 'FEATURE_USED', 'WORKFLOW_RUN', 'REPORT_VIEWED'];
const start = Date.UTC(2026, 9, 1);
let out = '';
for (let i = 0; i < n; i += 1) {
  const type = types[i % types.length];
  const event = {
    event_id: `bench-${i}`,
    account_id: `acct-${i % 200}`,
    occurred_at: new Date(start + i * 60_000).toISOString(),
    user_id: `u-${i % 200}-${i % 17}`,
    event_type: type,
    ...(type === 'FEATURE_USED' ? { feature_id: `feature-${i % 23}` } : {}),
    ...(type === 'WORKFLOW_RUN' ? { workflow_id: `wf-${i % 7}` } : {}),
    team: `team-${i % 5}`,
    user_role: i % 50 === 0 ? 'CHAMPION' : 'DAILY_USER',
  };
  out += `${JSON.stringify(event)}\n`;
  if (out.length > 1 << 20) {
    process.stdout.write(out);
    out = '';
  }
}
process.stdout.write(out);
