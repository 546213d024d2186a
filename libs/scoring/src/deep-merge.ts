/** A JSON-like plain object (not an array, not null). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `override` deep-merged over `base`, as a new value (neither input is
 * touched). Plain objects merge key by key; arrays and scalars in `override`
 * replace what `base` has, because a partial list (renewal windows) has no
 * obvious meaning; `undefined` in `override` keeps the base value.
 */
export function deepMerge<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = deepMerge(base[key], value);
  }
  return merged as T;
}
