import { ValuepulseError } from '@valuepulse/errors';

/**
 * An already-applied migration file was changed: applying the rest could
 * build on a schema that no longer matches the file. Nothing is applied.
 */
export class MigrationChecksumError extends ValuepulseError {
  readonly file: string;
  readonly appliedChecksum: string;
  readonly fileChecksum: string;

  constructor(file: string, appliedChecksum: string, fileChecksum: string) {
    super(
      `migration ${file} was changed after it was applied (applied sha256 ${appliedChecksum}, file now ${fileChecksum}): ` +
        'restore the file and put the change in a new migration',
      { code: 'MIGRATION_CHECKSUM_MISMATCH' },
    );
    this.file = file;
    this.appliedChecksum = appliedChecksum;
    this.fileChecksum = fileChecksum;
  }
}

/** A migration statement failed on the server, or the migrations folder is unusable; `file` names the migration when there is one. */
export class MigrationError extends ValuepulseError {
  readonly file: string | undefined;

  constructor(message: string, options: { code: string; file?: string; cause?: unknown }) {
    super(message, { code: options.code, cause: options.cause });
    this.file = options.file;
  }
}
