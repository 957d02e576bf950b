/**
 * SCIM filters (RFC 7644 §3.4.2.2) as the emulator reads them: `attrPath op value` with eq, ne, co, sw, ew, gt, ge,
 * lt, le and pr, joined by and/or (and binds tighter), `not (…)` and parentheses. A path into a multi-valued
 * attribute (`members.value`, `emails.value`) matches when any of its values does.
 */

export class ScimFilterError extends Error {}

type Node =
  | { kind: 'compare'; path: string; op: string; value: unknown }
  | { kind: 'present'; path: string }
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; inner: Node };
export type FilterNode = Node;

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|\(|\)|[^\s()]+)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) break;
    out.push(m[1]);
    at = TOKEN.lastIndex;
    if (/^\s*$/.test(text.slice(at))) break;
  }
  return out;
}

const OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

function literal(token: string | undefined): unknown {
  if (token === undefined) throw new ScimFilterError('a comparison lacks its value');
  if (token.startsWith('"')) return JSON.parse(token) as string;
  if (token === 'true') return true;
  if (token === 'false') return false;
  if (token === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  throw new ScimFilterError(`${token} is not a SCIM value (a quoted string, true, false, null or a number)`);
}

export function parseFilter(text: string): Node {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i]?.toLowerCase();
  const orExpr = (): Node => {
    let left = andExpr();
    while (peek() === 'or') {
      i++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const andExpr = (): Node => {
    let left = unary();
    while (peek() === 'and') {
      i++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): Node => {
    if (peek() === 'not') {
      i++;
      return { kind: 'not', inner: group() };
    }
    if (peek() === '(') return group();
    const path = tokens[i++];
    if (!path || !/^[A-Za-z][\w:.$-]*$/.test(path)) throw new ScimFilterError(`expected an attribute path, found ${path ?? 'the end'}`);
    const op = tokens[i++]?.toLowerCase();
    if (op === 'pr') return { kind: 'present', path };
    if (!op || !OPS.has(op)) throw new ScimFilterError(`${op ?? 'nothing'} is not a SCIM filter operator`);
    return { kind: 'compare', path, op, value: literal(tokens[i++]) };
  };
  const group = (): Node => {
    if (tokens[i++] !== '(') throw new ScimFilterError('expected (');
    const inner = orExpr();
    if (tokens[i++] !== ')') throw new ScimFilterError('expected )');
    return inner;
  };
  const node = orExpr();
  if (i !== tokens.length) throw new ScimFilterError(`unexpected ${tokens[i]}`);
  return node;
}

/** Attribute names are case-insensitive (RFC 7643 §2.1); a schema URN prefix is dropped. */
function valuesAt(resource: Record<string, unknown>, path: string): unknown[] {
  const parts = path.replace(/^urn:[^.]*:/i, '').split('.');
  let current: unknown[] = [resource];
  for (const part of parts) {
    const next: unknown[] = [];
    for (const item of current) {
      if (!item || typeof item !== 'object') continue;
      const key = Object.keys(item).find((k) => k.toLowerCase() === part.toLowerCase());
      if (key === undefined) continue;
      const value = (item as Record<string, unknown>)[key];
      if (Array.isArray(value)) next.push(...value);
      else next.push(value);
    }
    current = next;
  }
  return current.filter((v) => v !== undefined);
}

/** userName and emails compare without regard to case (caseExact false in RFC 7643's User schema); ids and externalId exactly. */
const caseInsensitive = (path: string) => /^(username|emails(\.value)?|displayname)$/i.test(path);

function compare(actual: unknown, op: string, expected: unknown, fold: boolean): boolean {
  if (actual !== null && typeof actual === 'object') {
    // A multi-valued complex attribute compared as a whole compares its `value`.
    const value = (actual as { value?: unknown }).value;
    return value === undefined ? false : compare(value, op, expected, fold);
  }
  const norm = (v: unknown) => (fold && typeof v === 'string' ? v.toLowerCase() : v);
  const a = norm(actual);
  const b = norm(expected);
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'co':
      return typeof a === 'string' && typeof b === 'string' && a.includes(b);
    case 'sw':
      return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
    case 'ew':
      return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
    case 'gt':
      return (a as number) > (b as number);
    case 'ge':
      return (a as number) >= (b as number);
    case 'lt':
      return (a as number) < (b as number);
    default:
      return (a as number) <= (b as number);
  }
}

export function matches(node: Node, resource: Record<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return matches(node.left, resource) && matches(node.right, resource);
    case 'or':
      return matches(node.left, resource) || matches(node.right, resource);
    case 'not':
      return !matches(node.inner, resource);
    case 'present':
      return valuesAt(resource, node.path).some((v) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
    case 'compare': {
      const values = valuesAt(resource, node.path);
      // `ne` on an absent attribute matches; every other operator needs a value.
      if (values.length === 0) return node.op === 'ne';
      const fold = caseInsensitive(node.path);
      return node.op === 'ne' ? values.every((v) => compare(v, 'ne', node.value, fold)) : values.some((v) => compare(v, node.op, node.value, fold));
    }
  }
}
