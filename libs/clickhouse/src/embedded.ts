import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { identifier } from './sql.js';

export interface EmbeddedClickHouseOptions {
  /** Folder of the engine's data; `':memory:'` (default) is a temporary one. chDB runs one engine per process: a second live path is refused. */
  path?: string;
  /** Default database of this client's statements (made current with `USE` before each one; the engine is shared by every embedded client of the process). */
  database?: string;
}

type Connection = ReturnType<typeof createChdbConnection>;
/** The client's own type of a connection: the same interface, declared in the client's bundled copy of client-common (chDB's comes from the standalone package). */
type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
const STATEMENTS = ['query', 'command', 'exec', 'insert'] as const;

/**
 * A ClickHouse client on an embedded, current ClickHouse engine (chDB, in
 * this process, no server) instead of HTTP: the same client API, so code
 * written for the 18.16 server runs unchanged on a current release. For
 * tests (chdb is a devDependency): the modern-ClickHouse comparison.
 *
 * @throws ValidationError for a bad database name.
 */
export function createEmbeddedClickHouse(options: EmbeddedClickHouseOptions = {}): ClickHouseClient {
  const chdb = createChdbConnection({ path: options.path ?? ':memory:' });
  const use = options.database === undefined ? undefined : `USE ${identifier(options.database)}`;
  const connection: Connection =
    use === undefined
      ? chdb
      : new Proxy(chdb, {
          get(target, name, receiver) {
            const value: unknown = Reflect.get(target, name, receiver);
            if (typeof value !== 'function') return value;
            if (!(STATEMENTS as readonly (string | symbol)[]).includes(name)) return value.bind(target);
            return async (params: { query: string }) => {
              await target.command({ ...params, query: use });
              return value.call(target, params);
            };
          },
        });
  // 64-bit integers as JSON strings, as a server's HTTP interface sends them (chDB's own default prints numbers)
  return createClient({ connection: connection as unknown as ClientConnection, clickhouse_settings: { output_format_json_quote_64bit_integers: 1 } });
}
