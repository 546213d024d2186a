import type { ValueSpec } from './mapping-file.js';

/** The value at a dot path (`context.traits.role`), or undefined. */
export function at(message: unknown, path: string): unknown {
  let node: unknown = message;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A scalar as text: strings trimmed, numbers and booleans printed; anything else (and '') is undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** The first path of `paths` that holds a non-empty scalar, as text. */
export function firstText(message: unknown, paths: readonly string[]): string | undefined {
  for (const p of paths) {
    const t = text(at(message, p));
    if (t !== undefined) return t;
  }
  return undefined;
}

/** A mapping value: a constant, or the first non-empty path. */
export function valueOf(message: unknown, spec: ValueSpec | undefined): string | undefined {
  if (spec === undefined) return undefined;
  return Array.isArray(spec) ? firstText(message, spec) : spec.value;
}
