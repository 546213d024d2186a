import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AccountLabel } from '@valuepulse/simulation';

/**
 * Writes the labels as JSON Lines, one account per line in account order:
 * `{"account_id", "archetype", "segment", "at_risk", "onset_day", "onset_at", "expected_signals", "outcome"}`.
 * Creates the folder; overwrites the file.
 */
export async function writeLabels(file: string, labels: readonly AccountLabel[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, labels.map((l) => `${JSON.stringify(l)}\n`).join(''));
}
