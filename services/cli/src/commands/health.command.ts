import { parseArgs } from 'node:util';
import { DEFAULT_SCORING_CONFIG, evaluate, type Evaluation } from '@valuepulse/scoring';
import { createAccountStore, createRedis, createWatermark } from '@valuepulse/state';
import { cliEndpoints } from '../clients.js';
import { processIo, write, type Command } from '../command.js';
import { KEY_PREFIX_HELP, KEY_PREFIX_OPTIONS, keyPrefix } from '../prefix-options.js';

/**
 * `valuepulse health <account_id> [--at T|watermark] [--json] [--key-prefix P]`: the
 * account's signals, score, tier and the evidence behind the score, read
 * from Redis and evaluated at T (default now; `watermark` = the event-time
 * clock of replays). Read-only: it emits nothing and saves nothing.
 */
export const healthCommand: Command = {
  name: 'health',
  summary: "an account's current signals, score, tier and evidence (--json for machines)",
  usage: 'health <account_id> [--at ISO|ms|watermark] [--json] [--key-prefix P]',
  options: {
    '--at ISO|ms|watermark': 'evaluate at this time (default now; watermark: the event-time clock of a replay)',
    '--json': 'one JSON object instead of the table',
    ...KEY_PREFIX_HELP,
  },
  async run(args, io = processIo()) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { at: { type: 'string' }, json: { type: 'boolean', default: false }, ...KEY_PREFIX_OPTIONS },
    });
    const [accountId] = positionals;
    if (!accountId || positionals.length > 1) {
      await write(io.stderr, `usage: valuepulse ${this.usage}\n`);
      return 2;
    }
    const endpoints = cliEndpoints(io.env);
    const prefix = keyPrefix(values, io.env);
    const redis = createRedis({ endpoint: endpoints.redis, connectionName: 'valuepulse-cli' });
    try {
      const now = await resolveAt(values.at, () => createWatermark({ redis, prefix }).get());
      const state = await createAccountStore({ redis, prefix }).read(accountId, now);
      if (state.lastActivityAt === null && state.contract.signedAt === null && Object.keys(state.days).length === 0) {
        await write(io.stderr, `valuepulse health: no state for account ${accountId} under key prefix ${prefix}\n`);
        return 1;
      }
      const result = evaluate(state, DEFAULT_SCORING_CONFIG, now);
      await write(io.stdout, values.json ? `${JSON.stringify(toJson(result))}\n` : table(result));
      return 0;
    } finally {
      await redis.quit();
    }
  },
};

async function resolveAt(at: string | undefined, watermark: () => Promise<number | null>): Promise<number> {
  if (at === undefined) return Date.now();
  if (at === 'watermark') {
    const w = await watermark();
    if (w === null) throw new Error('no event-time watermark yet (no scorer has consumed events under this key prefix)');
    return w;
  }
  const ms = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`--at: expected an ISO-8601 time, epoch milliseconds or "watermark", got "${at}"`);
  return ms;
}

function toJson(result: Evaluation) {
  return {
    account_id: result.snapshot.account_id,
    as_of: new Date(result.snapshot.as_of).toISOString(),
    health_score: result.healthScore,
    tier: result.tier,
    value_lock_in: result.valueLockIn,
    snapshot: result.snapshot,
    score_components: result.signals.health.components,
  };
}

function table(result: Evaluation): string {
  const s = result.snapshot;
  const rows: [string, unknown][] = [
    ['account', s.account_id],
    ['as of', new Date(s.as_of).toISOString()],
    ['tier', result.tier],
    ['health score', result.healthScore.toFixed(1)],
    ['value lock-in', result.valueLockIn === null ? '—' : result.valueLockIn.toFixed(1)],
    ['', ''],
    ...Object.entries(s).filter(([k]) => !['account_id', 'as_of', 'tier', 'health_score', 'value_lock_in'].includes(k)),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => (k === '' ? '' : `${k.padEnd(width)}  ${format(v)}`));
  lines.push('', 'score evidence (component, value, weight, points):');
  for (const c of result.signals.health.components) {
    lines.push(`  ${c.key.padEnd(24)} ${format(c.value).padStart(8)} ${c.weight.toFixed(2).padStart(6)} ${format(c.contribution).padStart(8)}`);
  }
  return `${lines.join('\n')}\n`;
}

function format(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return String(v);
}
