import { identifier, stringLiteral, type ClickHouseClient } from '@valuepulse/clickhouse';
import type { AccountEvent, SupportEvent, UsageEvent } from '@valuepulse/contracts';
import type { StoreEvent } from '@valuepulse/state';

type Row = Record<string, unknown>;

/** A column as a nullable expression: the column when the table has it (later migrations), else NULL. */
const optional = (columns: ReadonlySet<string>, name: string, expr = name) => (columns.has(name) ? `${expr} AS ${name}` : `NULL AS ${name}`);
const millis = (name: string) => `if(isNull(${name}), NULL, toUInt64(toUnixTimestamp(${name})) * 1000) AS ${name}`;

const SELECTS: Record<StoreEvent['kind'], { table: string; columns: (have: ReadonlySet<string>) => string[] }> = {
  account: {
    table: 'account_events',
    columns: (have) => [
      'event_id', 'account_id', 'occurred_at_ms', 'event_type', 'arr', 'currency', 'contracted_seats', millis('renewal_date'), 'segment',
      'stakeholder_user_id', 'stakeholder_role', 'milestone_id', 'milestone_name', millis('milestone_due_date'), 'nps_score',
      optional(have, 'owner'), optional(have, 'arr_lost'), optional(have, 'seats_lost'), optional(have, 'outcome_reason'),
    ],
  },
  usage: {
    table: 'usage_events',
    columns: () => ['event_id', 'account_id', 'occurred_at_ms', 'user_id', 'event_type', 'feature_id', 'workflow_id', 'integration_id', 'team', 'user_role', 'product_line', 'quantity'],
  },
  support: {
    table: 'support_events',
    columns: () => ['event_id', 'account_id', 'occurred_at_ms', 'ticket_id', 'event_type', 'priority', 'feature_id', 'category', 'csat_score', 'requester_id', 'requester_role'],
  },
};

/** The query that streams one raw table's events of `[from, to)` in event-time order (ClickHouse 18.16: no parameters, so literals are escaped here). */
export function rawEventsQuery(database: string, kind: StoreEvent['kind'], columns: ReadonlySet<string>, from: number, to: number): string {
  const { table, columns: select } = SELECTS[kind];
  const second = (ms: number) => stringLiteral(new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' '));
  return [
    `SELECT ${select(columns).join(', ')}`,
    `FROM ${identifier(database)}.${identifier(table)}`,
    // the DateTime column prunes month partitions; the millisecond column is exact
    `WHERE occurred_at >= toDateTime(${second(from)}, 'UTC') AND occurred_at <= toDateTime(${second(to)}, 'UTC')`,
    `  AND occurred_at_ms >= ${Math.floor(from)} AND occurred_at_ms < ${Math.floor(to)}`,
    'ORDER BY occurred_at_ms, event_id',
  ].join('\n');
}

/**
 * The raw events of `[from, to)` from the history tables (usage_events,
 * support_events, account_events), streamed in event-time order: three
 * queries ordered by time, merged here (ties: account, usage, support
 * events, then event id). Copies of one event the tables have not merged
 * away yet come through; the replay counts an event id once, as the scorer.
 */
export async function* readClickHouse(client: ClickHouseClient, database: string, period: { from: number; to: number }): AsyncGenerator<StoreEvent> {
  const kinds: StoreEvent['kind'][] = ['account', 'usage', 'support'];
  const streams = await Promise.all(
    kinds.map(async (kind) => {
      const columns = await tableColumns(client, database, SELECTS[kind].table);
      const result = await client.query({ query: rawEventsQuery(database, kind, columns, period.from, period.to), format: 'JSONEachRow' });
      return { kind, rows: rowsOf(result.stream() as AsyncIterable<{ json<T>(): T }[]>), head: null as StoreEvent | null };
    }),
  );
  const advance = async (s: (typeof streams)[number]) => {
    const next = await s.rows.next();
    s.head = next.done ? null : toStoreEvent(s.kind, next.value);
  };
  try {
    await Promise.all(streams.map(advance));
    for (;;) {
      let pick: (typeof streams)[number] | null = null;
      for (const s of streams) if (s.head !== null && (pick === null || s.head.event.occurred_at < (pick.head as StoreEvent).event.occurred_at)) pick = s;
      if (pick === null) return;
      yield pick.head as StoreEvent;
      await advance(pick);
    }
  } finally {
    await Promise.all(streams.map((s) => s.rows.return(undefined)));
  }
}

async function* rowsOf(stream: AsyncIterable<{ json<T>(): T }[]>): AsyncGenerator<Row> {
  for await (const rows of stream) for (const row of rows) yield row.json<Row>();
}

async function tableColumns(client: ClickHouseClient, database: string, table: string): Promise<Set<string>> {
  const rows = await (
    await client.query({ query: `SELECT name FROM system.columns WHERE database = ${stringLiteral(database)} AND table = ${stringLiteral(table)}`, format: 'JSONEachRow' })
  ).json<{ name: string }>();
  if (rows.length === 0) throw new Error(`table ${database}.${table} not found (run \`valuepulse migrate\`)`);
  return new Set(rows.map((r) => r.name));
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A raw table's row as the event the scorer decoded (properties are not read: scoring does not use them). */
export function toStoreEvent(kind: StoreEvent['kind'], r: Row): StoreEvent {
  const base = { event_id: String(r.event_id), account_id: String(r.account_id), occurred_at: Number(r.occurred_at_ms), properties: {} };
  switch (kind) {
    case 'usage':
      return {
        kind,
        event: {
          ...base, user_id: String(r.user_id), event_type: String(r.event_type) as UsageEvent['event_type'], feature_id: str(r.feature_id), workflow_id: str(r.workflow_id),
          integration_id: str(r.integration_id), team: str(r.team), user_role: String(r.user_role) as UsageEvent['user_role'], product_line: str(r.product_line), quantity: Number(r.quantity),
        },
      };
    case 'support':
      return {
        kind,
        event: {
          ...base, ticket_id: String(r.ticket_id), event_type: String(r.event_type) as SupportEvent['event_type'], priority: String(r.priority) as SupportEvent['priority'],
          feature_id: str(r.feature_id), category: str(r.category), csat_score: num(r.csat_score), requester_id: str(r.requester_id), requester_role: String(r.requester_role) as SupportEvent['requester_role'],
        },
      };
    case 'account':
      return {
        kind,
        event: {
          ...base, event_type: String(r.event_type) as AccountEvent['event_type'], arr: num(r.arr), currency: str(r.currency), contracted_seats: num(r.contracted_seats), renewal_date: num(r.renewal_date),
          segment: str(r.segment) as AccountEvent['segment'], stakeholder_user_id: str(r.stakeholder_user_id), stakeholder_role: str(r.stakeholder_role) as AccountEvent['stakeholder_role'],
          milestone_id: str(r.milestone_id), milestone_name: str(r.milestone_name), milestone_due_date: num(r.milestone_due_date), nps_score: num(r.nps_score), owner: str(r.owner),
          arr_lost: num(r.arr_lost), seats_lost: num(r.seats_lost), outcome_reason: str(r.outcome_reason), contract_items: null,
        },
      };
  }
}
