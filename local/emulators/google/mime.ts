/** Just enough RFC 822 / MIME for the Gmail emulator: headers (folded, RFC 2047 words), transfer encodings, multipart. */

export interface MimeHeader {
  name: string;
  value: string;
}

export interface MimePart {
  headers: MimeHeader[];
  mimeType: string;
  /** The decoded body of a leaf part; empty for a multipart. */
  body: Buffer;
  parts: MimePart[];
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=), as Gmail shows headers decoded. */
export function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes);
}

/** Splits a message (or part) into its header section and body; a message with no blank line is all headers. */
function splitHead(text: string): { head: string; body: string } {
  const at = /\r?\n\r?\n/.exec(text);
  if (!at) return { head: text, body: '' };
  return { head: text.slice(0, at.index), body: text.slice(at.index + at[0].length) };
}

export function parseHeaders(head: string): MimeHeader[] {
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const out: MimeHeader[] = [];
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return out;
}

export const headerValue = (headers: MimeHeader[], name: string): string | undefined =>
  headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

const param = (value: string, name: string): string | undefined => new RegExp(`;\\s*${name}="?([^";]+)"?`, 'i').exec(value)?.[1];

export function parseMime(text: string): MimePart {
  const { head, body } = splitHead(text);
  const headers = parseHeaders(head);
  const contentType = headerValue(headers, 'Content-Type') ?? 'text/plain';
  const mimeType = contentType.split(';')[0].trim().toLowerCase();
  const boundary = param(contentType, 'boundary');
  if (mimeType.startsWith('multipart/') && boundary) {
    const sections = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    // The preamble before the first boundary and the epilogue after the last are not parts.
    const parts = sections.slice(1).filter((s) => s.trim()).map(parseMime);
    return { headers, mimeType, body: Buffer.alloc(0), parts };
  }
  const encoding = (headerValue(headers, 'Content-Transfer-Encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : Buffer.from(body, 'utf8');
  return { headers, mimeType, body: decoded, parts: [] };
}

/** The first text/plain body of a message, for snippets and the human mail view. */
export function plainText(part: MimePart): string {
  if (part.parts.length === 0) return part.mimeType === 'text/plain' ? part.body.toString('utf8') : '';
  for (const child of part.parts) {
    const text = plainText(child);
    if (text) return text;
  }
  return '';
}

/** Addresses in an address-list header: `Name <a@b>`, `a@b`, comma separated. Undefined when one is not an address. */
export function addresses(value: string | undefined): string[] | undefined {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const address = (/<([^>]*)>/.exec(item)?.[1] ?? item).trim();
    if (!/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(address)) return undefined;
    out.push(address.toLowerCase());
  }
  return out;
}

/** Replaces (or adds) a header in a raw message's header section, leaving the body as sent. */
export function withHeader(text: string, name: string, value: string): string {
  const { head, body } = splitHead(text);
  const lines = head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/).filter(Boolean);
  const kept = lines.filter((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() !== name.toLowerCase());
  return `${[...kept, `${name}: ${value}`].join('\r\n')}\r\n\r\n${body}`;
}
