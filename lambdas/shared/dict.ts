/**
 * Objects keyed by data from outside (a provider's or Notion's names): no prototype, so a key such as `__proto__`,
 * `constructor` or `toString` is only ever a key, never a way to reach or change Object.prototype.
 */

/** An empty record with no prototype, optionally filled from entries. */
export function dict<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** The value of an object's own property, never one inherited (`{}`'s `constructor` is not a schema). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
