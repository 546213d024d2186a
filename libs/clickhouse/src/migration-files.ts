import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRepoRoot } from '@valuepulse/config';
import { MigrationError } from './migration-errors.js';
import { splitStatements } from './split-statements.js';

/** What a migration writes where the database name goes; the runner substitutes the validated, back-quoted name. */
export const DATABASE_PLACEHOLDER = '{database}';

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** One migration file, read and split. */
export interface MigrationFile {
  /** File name, e.g. `0001_raw_tables.sql`: the order and the record in schema_migrations. */
  name: string;
  /** sha256 (hex) of the file's bytes, as recorded when applied. */
  checksum: string;
  /** The statements, in order, with the {@link DATABASE_PLACEHOLDER} still in them. */
  statements: string[];
}

/**
 * The repository's `schemas/clickhouse`, found from the working directory or,
 * failing that, from this package's own location.
 *
 * @throws MigrationError `MIGRATIONS_NOT_FOUND` outside a checkout.
 */
export function defaultMigrationsDir(): string {
  const root = findRepoRoot(process.cwd()) ?? findRepoRoot(fileURLToPath(new URL('.', import.meta.url)));
  if (!root) {
    throw new MigrationError('cannot find schemas/clickhouse: run from inside the repository, or pass the migrations folder', {
      code: 'MIGRATIONS_NOT_FOUND',
    });
  }
  return join(root, 'schemas', 'clickhouse');
}

/**
 * Reads every `NNNN_name.sql` of `dir` in number order. Other files are
 * ignored, except a `.sql` file whose name breaks the pattern and two files
 * with one number, which are refused rather than silently skipped or ordered
 * by chance.
 *
 * @throws MigrationError `MIGRATIONS_NOT_FOUND` when `dir` cannot be read,
 *   `MIGRATION_BAD_NAME` / `MIGRATION_DUPLICATE_NUMBER` / `MIGRATION_EMPTY`
 *   naming the file; ValidationError from the splitter for an unclosed quote.
 */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    throw new MigrationError(`cannot read the migrations folder ${dir}: ${(err as Error).message}`, { code: 'MIGRATIONS_NOT_FOUND', cause: err });
  }
  const names = entries.filter((name) => name.endsWith('.sql')).sort();
  const seen = new Map<string, string>();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const number = FILE_NAME.exec(name)?.[1];
    if (number === undefined) {
      throw new MigrationError(`migration file ${name} must be named NNNN_name.sql (four digits, then [a-z0-9_])`, { code: 'MIGRATION_BAD_NAME', file: name });
    }
    const other = seen.get(number);
    if (other !== undefined) {
      throw new MigrationError(`migrations ${other} and ${name} share the number ${number}`, { code: 'MIGRATION_DUPLICATE_NUMBER', file: name });
    }
    seen.set(number, name);
    const bytes = await readFile(join(dir, name));
    const statements = splitStatements(bytes.toString('utf8'));
    if (statements.length === 0) throw new MigrationError(`migration ${name} has no statement`, { code: 'MIGRATION_EMPTY', file: name });
    files.push({ name, checksum: createHash('sha256').update(bytes).digest('hex'), statements });
  }
  return files;
}

/** `statement` with every {@link DATABASE_PLACEHOLDER} replaced by `quotedDatabase` (already validated and back-quoted). */
export function renderStatement(statement: string, quotedDatabase: string): string {
  return statement.split(DATABASE_PLACEHOLDER).join(quotedDatabase);
}
