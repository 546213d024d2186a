/**
 * Rows of objects as a fixed-width text table (columns in the first row's
 * key order; numbers right-aligned, arrays joined with ", ").
 */
export function textTable(rows: readonly Record<string, unknown>[], maxRows = Infinity): string {
  if (rows.length === 0) return '  (no rows)';
  const columns = Object.keys(rows[0] as object);
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.map(cell).join(', ') : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v));
  const shown = rows.slice(0, maxRows).map((r) => columns.map((c) => cell(r[c])));
  const numeric = columns.map((c) => rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number' || (typeof r[c] === 'string' && /^-?\d+(\.\d+)?$/.test(r[c] as string))));
  const widths = columns.map((c, i) => Math.max(c.length, ...shown.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => `  ${cells.map((v, i) => (numeric[i] ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number))).join('  ').trimEnd()}`;
  const out = [line(columns), line(widths.map((w) => '-'.repeat(w))), ...shown.map(line)];
  if (rows.length > shown.length) out.push(`  … ${rows.length - shown.length} more row(s)`);
  return out.join('\n');
}
