/** DateTime holds seconds since 1970 in a UInt32: later instants would wrap. */
const MAX_DATETIME_MS = 4_294_967_295_000;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const UINT64 = /^(0|[1-9][0-9]{0,19})$/;

/**
 * Reads the fields of a decoded record into column values, collecting every
 * problem instead of throwing: the caller turns them into one DLQ reason.
 * The checks are cheap on purpose (the codec has validated the record); they
 * guard what ClickHouse would reject or silently change: wrong types, NaN,
 * instants outside DateTime's range.
 */
export class FieldReader {
  readonly issues: string[] = [];

  constructor(private readonly record: Readonly<Record<string, unknown>>) {}

  /** A required string. */
  string(field: string): string {
    const value = this.record[field];
    if (typeof value === 'string') return value;
    this.issues.push(`${field}: expected a string, got ${describe(value)}`);
    return '';
  }

  /** An optional string: null or undefined → null. */
  optionalString(field: string): string | null {
    const value = this.record[field];
    return value === null || value === undefined ? null : this.string(field);
  }

  /** A required Avro int (ClickHouse Int32). */
  int(field: string): number {
    const value = this.record[field];
    if (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return value;
    this.issues.push(`${field}: expected a 32-bit integer, got ${describe(value)}`);
    return 0;
  }

  optionalInt(field: string): number | null {
    const value = this.record[field];
    return value === null || value === undefined ? null : this.int(field);
  }

  /** A required non-negative Avro long (ClickHouse UInt64); avsc decodes longs as safe integers. */
  count(field: string): number {
    const value = this.record[field];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    this.issues.push(`${field}: expected a non-negative integer, got ${describe(value)}`);
    return 0;
  }

  /** A required finite double (NaN and ±Infinity have no JSON form). */
  double(field: string): number {
    const value = this.record[field];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.issues.push(`${field}: expected a finite number, got ${describe(value)}`);
    return 0;
  }

  optionalDouble(field: string): number | null {
    const value = this.record[field];
    return value === null || value === undefined ? null : this.double(field);
  }

  /** A boolean as ClickHouse UInt8 (0 or 1). */
  flag(field: string): 0 | 1 {
    const value = this.record[field];
    if (typeof value === 'boolean') return value ? 1 : 0;
    this.issues.push(`${field}: expected a boolean, got ${describe(value)}`);
    return 0;
  }

  /** A timestamp-millis field: epoch milliseconds, checked against DateTime's range. */
  millis(field: string): number {
    const value = this.record[field];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MAX_DATETIME_MS) return value;
    this.issues.push(`${field}: expected epoch milliseconds between 1970 and 2106, got ${describe(value)}`);
    return 0;
  }

  optionalMillis(field: string): number | null {
    const value = this.record[field];
    return value === null || value === undefined ? null : this.millis(field);
  }

  /** A map<string> as the two arrays of a Nested(key, value) column, sorted by key. */
  stringMap(field: string): { keys: string[]; values: string[] } {
    const value = this.record[field] ?? {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.issues.push(`${field}: expected a map of strings, got ${describe(value)}`);
      return { keys: [], values: [] };
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return { keys: [], values: [] };
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const keys: string[] = [];
    const values: string[] = [];
    for (const [key, item] of entries) {
      if (typeof item !== 'string') {
        this.issues.push(`${field}.${key}: expected a string, got ${describe(item)}`);
        continue;
      }
      keys.push(key);
      values.push(item);
    }
    return { keys, values };
  }

  /** A required array of records. */
  records(field: string): Readonly<Record<string, unknown>>[] {
    const value = this.record[field] ?? [];
    if (Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
      return value as Record<string, unknown>[];
    }
    this.issues.push(`${field}: expected an array of records, got ${describe(value)}`);
    return [];
  }

  /** Records a problem found by the caller. */
  issue(message: string): void {
    this.issues.push(message);
  }
}

/** A Kafka offset as ClickHouse UInt64 text, or undefined when it is not one. */
export function uint64Text(value: string): string | undefined {
  return UINT64.test(value) && (value.length < 20 || value <= '18446744073709551615') ? value : undefined;
}

const DAY_MS = 86_400_000;
/** Day number → `YYYY-MM-DD`; bounded, a batch touches few days. */
const dates = new Map<number, string>();

/**
 * `YYYY-MM-DD hh:mm:ss` of `ms` in UTC: what DateTime('UTC') reads from
 * JSONEachRow on 18.16 and current releases. Runs several times per row, so
 * the date part is cached per day instead of formatting a Date each time.
 */
export function dateTimeText(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let date = dates.get(day);
  if (date === undefined) {
    if (dates.size >= 4096) dates.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dates.set(day, date);
  }
  const seconds = Math.floor((ms - day * DAY_MS) / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${date} ${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
