/** A step's parameters or what it recorded, in words: lists joined, fields named, nested ones flattened (`removed groups`). */

/** The value as label and text lines; an empty object gives none. */
export function fieldLines(value: unknown, path: string[] = []): [string, string][] {
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return [[path.join(' '), value.map(text).join(', ') || '(none)']];
    return [[path.join(' '), value.map((v) => (v && typeof v === 'object' ? Object.values(v as object).map(text).join(' ') : text(v))).join(', ')]];
  }
  if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => fieldLines(v, [...path, k]));
  return [[path.join(' '), text(value)]];
}

export function Fields({ value, label }: { value: Record<string, unknown> | undefined; label: string }) {
  const lines = fieldLines(value ?? {});
  if (lines.length === 0) return null;
  return (
    <div class="result">
      <span class="label">{label}</span>
      <dl>
        {lines.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
