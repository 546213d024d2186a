import type { ClickHouseClient } from '@clickhouse/client';
import { isClickHouseUnreachable } from './clickhouse-errors.js';
import { MigrationChecksumError, MigrationError } from './migration-errors.js';
import { defaultMigrationsDir, readMigrations, renderStatement, type MigrationFile } from './migration-files.js';
import { identifier } from './sql.js';

/** The table, in the migrated database, that records applied migrations. */
export const MIGRATIONS_TABLE = 'schema_migrations';

export interface MigrateOptions {
  /** Database to create (if missing) and migrate; validated as an identifier. */
  database: string;
  /** Folder of `NNNN_name.sql` files. Default: the repository's `schemas/clickhouse`. */
  dir?: string;
  /** Called after each file is applied or found applied, so a caller can report progress before a later failure. */
  onOutcome?: (outcome: MigrationOutcome) => void;
}

/** What `migrate` did with one file. */
export interface MigrationOutcome {
  name: string;
  status: 'applied' | 'already-applied';
}

/**
 * Brings `database` up to the migration files of `dir`: creates the database
 * and `schema_migrations` (name, sha256 checksum, applied_at) if missing,
 * then applies each file not yet recorded, in number order, statement by
 * statement, and records it. Running it again changes nothing.
 *
 * Before applying anything it compares every recorded file with its current
 * checksum and refuses to go on if one was changed. A file is recorded only
 * after all its statements succeeded; migrations use `IF NOT EXISTS`, so a
 * run that failed half-way through a file can simply be repeated. Recorded
 * names with no file left are ignored. Not safe to run concurrently on one
 * database. Every statement names the database itself, so `client` may have
 * any default database — but not one that does not exist yet, which the
 * server refuses before running anything.
 *
 * @returns one outcome per file, in order.
 * @throws ValidationError for a bad database name or an unclosed quote in a
 *   file, MigrationChecksumError naming the changed file, MigrationError
 *   (`MIGRATION_FAILED` naming the file and statement, or a bad folder), and
 *   the client's own error when ClickHouse cannot be reached (see
 *   `isClickHouseUnreachable`).
 */
export async function migrate(client: ClickHouseClient, options: MigrateOptions): Promise<MigrationOutcome[]> {
  const db = identifier(options.database);
  const files = await readMigrations(options.dir ?? defaultMigrationsDir());
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.${MIGRATIONS_TABLE} (name String, checksum String, applied_at DateTime('UTC')) ENGINE = MergeTree() ORDER BY name`,
  });
  const applied = await appliedChecksums(client, db);
  for (const file of files) {
    const recorded = applied.get(file.name);
    if (recorded !== undefined && recorded !== file.checksum) throw new MigrationChecksumError(file.name, recorded, file.checksum);
  }
  const outcomes: MigrationOutcome[] = [];
  for (const file of files) {
    const already = applied.has(file.name);
    if (!already) await apply(client, db, file);
    const outcome: MigrationOutcome = { name: file.name, status: already ? 'already-applied' : 'applied' };
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  return outcomes;
}

async function appliedChecksums(client: ClickHouseClient, db: string): Promise<Map<string, string>> {
  const result = await client.query({ query: `SELECT name, checksum FROM ${db}.${MIGRATIONS_TABLE} ORDER BY applied_at`, format: 'JSONEachRow' });
  const rows = await result.json<{ name: string; checksum: string }>();
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

async function apply(client: ClickHouseClient, db: string, file: MigrationFile): Promise<void> {
  for (const [i, statement] of file.statements.entries()) {
    try {
      await client.command({ query: renderStatement(statement, db) });
    } catch (err) {
      if (isClickHouseUnreachable(err)) throw err;
      const first = statement.split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('--')) ?? '';
      throw new MigrationError(
        `migration ${file.name} failed at statement ${i + 1} of ${file.statements.length} (${first.trim().slice(0, 80)}): ${(err as Error).message.trim()}`,
        { code: 'MIGRATION_FAILED', file: file.name, cause: err },
      );
    }
  }
  const appliedAt = new Date().toISOString().slice(0, 19).replace('T', ' ');
  await client.insert({
    table: `${db}.${MIGRATIONS_TABLE}`,
    values: [{ name: file.name, checksum: file.checksum, applied_at: appliedAt }],
    format: 'JSONEachRow',
  });
}
