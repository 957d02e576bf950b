/**
 * The attestation as a one-page PDF: a minimal PDF 1.4 writer (text only, the standard Helvetica fonts, one page, a
 * cross-reference table with each object's byte offset) and the page's layout. Every byte is 7-bit ASCII (text outside
 * it is written as WinAnsi octal escapes), so the file passes unchanged through anything that carries text.
 */
import type { Attestation, AttestationEntry } from './attestation';

export interface PdfText {
  x: number;
  y: number;
  size: number;
  bold?: boolean;
  text: string;
}

export const PAGE = { width: 595, height: 842, margin: 40 } as const;

/** Helvetica's advance widths (1/1000 em) for the characters 32..126, from its AFM. */
const HELVETICA_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const ELLIPSIS = '\u2026';

/** The width of a text in Helvetica at `size` points (characters outside ASCII counted as a digit, the ellipsis as 1 em). */
export function textWidth(text: string, size: number): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? HELVETICA_WIDTHS[code - 32] : ch === ELLIPSIS ? 1000 : 556;
  }
  return (units * size) / 1000;
}

/** The text cut to `width` points, ending in an ellipsis when cut. */
export function fitText(text: string, width: number, size: number): string {
  if (textWidth(text, size) <= width) return text;
  const chars = [...text];
  while (chars.length && textWidth(chars.join('') + ELLIPSIS, size) > width) chars.pop();
  return chars.join('') + ELLIPSIS;
}

/** The text as lines of at most `width` points, broken anywhere (hashes and base64 have no spaces). */
export function wrapText(text: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && textWidth(line + ch, size) > width) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

/** WinAnsiEncoding bytes of the characters outside ASCII that it has beyond Latin-1. */
const WIN_ANSI_EXTRA: Record<string, number> = {
  '\u20ac': 0x80, '\u201a': 0x82, '\u201e': 0x84, '\u2026': 0x85, '\u2020': 0x86, '\u2021': 0x87, '\u2030': 0x89, '\u2039': 0x8b, '\u2018': 0x91,
  '\u2019': 0x92, '\u201c': 0x93, '\u201d': 0x94, '\u2022': 0x95, '\u2013': 0x96, '\u2014': 0x97, '\u2122': 0x99, '\u203a': 0x9b,
};

/** A PDF string literal in WinAnsi, ASCII only: `\ ( )` escaped, other bytes as octal, characters it lacks as `?`. */
export function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '(' || ch === ')') out += `\\${ch}`;
    else if (code >= 32 && code <= 126) out += ch;
    else if (code < 32 || code === 127) out += ' ';
    else {
      const byte = code >= 0xa0 && code <= 0xff ? code : WIN_ANSI_EXTRA[ch];
      out += byte === undefined ? '?' : `\\${byte.toString(8).padStart(3, '0')}`;
    }
  }
  return `${out})`;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** A one-page PDF holding the texts, with a title and creation date in its info dictionary. */
export function onePagePdf(page: { title: string; createdAt: string; texts: readonly PdfText[] }): string {
  const content = page.texts.map((t) => `BT /${t.bold ? 'F2' : 'F1'} ${num(t.size)} Tf ${num(t.x)} ${num(t.y)} Td ${pdfString(t.text)} Tj ET`).join('\n');
  const date = page.createdAt.replace(/[-:]/g, '').replace('T', '').slice(0, 14);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Title ${pdfString(page.title)} /Producer (account-lifecycle) /CreationDate (D:${date}Z) >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

/** What the title says after "Offboarding attestation". */
const TITLE_MARK: Record<Attestation['outcome'], string> = { complete: '', incomplete: ' - NOT COMPLETE', provisional: ' - PROVISIONAL', cancelled: ' - TERMINATION CANCELLED' };

/** The record's outcome in words, with the cut-off steps not done (who, why) and those not settled yet. */
export function outcomeLines(doc: Pick<Attestation, 'outcome' | 'notDone' | 'unsettled'>): string[] {
  const lines = [
    {
      complete: 'Complete: every cut-off step succeeded.',
      incomplete: 'NOT COMPLETE: the leaver was not fully cut off. Cut-off steps not done:',
      provisional: 'Provisional: cut-off steps not settled yet.',
      cancelled: 'Termination cancelled: every termination run was cancelled or rejected; the person is not leaving.',
    }[doc.outcome],
  ];
  for (const n of doc.notDone) lines.push(`  ${n.stepId} (${n.action}) ${n.status}${n.by ? ` by ${n.by}` : ''}${n.at ? ` at ${shortTime(n.at)}` : ''}${n.reason ? `: ${n.reason}` : ''}`);
  if (doc.unsettled.length) lines.push(`Cut-off steps not settled yet: ${doc.unsettled.map((u) => `${u.stepId} (${u.status})`).join(', ')}`);
  return lines;
}

/** `2026-12-04T10:00:01.234Z` as `2026-12-04 10:00:01Z`. */
const shortTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;

/** The table's columns: x and width in points. */
const COLUMNS = { seq: [40, 16], at: [56, 90], action: [146, 134], status: [280, 62], actor: [342, 213] } as const;
const FONT_SIZES = [8, 7, 6] as const;

/** The attestation's one page: employee, runs, whether it is complete, each step (time, action, status, actor), then the head hash, key id and signature. */
export function attestationPdf(doc: Attestation): string {
  const width = PAGE.width - 2 * PAGE.margin;
  const texts: PdfText[] = [];
  let y = PAGE.height - PAGE.margin - 14;
  const line = (text: string, size = 9, bold = false, x: number = PAGE.margin) => {
    // Helvetica-Bold runs up to a tenth wider than the regular widths fitText measures.
    texts.push({ x, y, size, bold, text: fitText(text, (width - (x - PAGE.margin)) * (bold ? 0.9 : 1), size) });
    y -= size * 1.35;
  };
  texts.push({ x: PAGE.margin, y, size: 14, bold: true, text: `Offboarding attestation${TITLE_MARK[doc.outcome]}` });
  y -= 22;
  line(`Employee ${doc.employeeId}    generated ${shortTime(doc.generatedAt)}    format ${doc.format}`);
  for (const run of doc.runs) line(`Run ${run.runId}: termination effective ${run.effectiveDate}${run.urgent ? ', urgent' : ''}, event ${run.eventId}, ${run.status}${run.sentBy ? `, sent by ${run.sentBy}` : ''}`);
  // The outcome's first line in bold when it is not complete; the steps not done below it in the regular face, at full width.
  outcomeLines(doc).forEach((text, i) => line(text, 9, !doc.complete && i === 0));
  y -= 4;

  const footer = footerLines(doc, width);
  const footerTop = PAGE.margin + footer.length * 9.5 + 6;
  const rows = tableRows(doc.entries, y, footerTop);
  texts.push(...rows.texts);

  let fy = footerTop - 9.5;
  for (const f of footer) {
    texts.push({ x: PAGE.margin, y: fy, size: 7.5, bold: f.bold, text: f.text });
    fy -= 9.5;
  }
  return onePagePdf({ title: `Offboarding attestation ${doc.employeeId}`, createdAt: doc.generatedAt, texts });
}

function footerLines(doc: Attestation, width: number): { text: string; bold?: boolean }[] {
  return [
    { text: 'Chain head (SHA-256 of the last entry)', bold: true },
    ...wrapText(doc.head, width, 7.5).map((text) => ({ text })),
    { text: `Signature ${doc.signature.algorithm}, key ${doc.signature.keyId}`, bold: true },
    ...wrapText(doc.signature.value, width, 7.5).map((text) => ({ text })),
    { text: 'This page summarises the signed JSON record, which is the evidence: lifecycle verify <file.json> --public-key <key.pem> checks it offline.' },
  ].map((l) => ({ ...l, text: fitText(l.text, width, 7.5) }));
}

/** The step table at the largest font size that fits above the footer; past the smallest, the rest is counted, not shown. */
function tableRows(entries: readonly AttestationEntry[], top: number, bottom: number): { texts: PdfText[] } {
  for (const size of FONT_SIZES) {
    const height = size * 1.3;
    const room = Math.floor((top - bottom - height) / height);
    const last = size === FONT_SIZES[FONT_SIZES.length - 1];
    if (entries.length <= room || last) {
      const shown = entries.length <= room ? entries.length : Math.max(0, room - 1);
      const texts: PdfText[] = [];
      let y = top;
      const cells = (values: Record<keyof typeof COLUMNS, string>, bold: boolean) => {
        for (const [key, [x, w]] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, readonly [number, number]][]) {
          texts.push({ x, y, size, bold, text: bold ? values[key] : fitText(values[key], w - 4, size) });
        }
        y -= height;
      };
      cells({ seq: '#', at: 'time (UTC)', action: 'action', status: 'status', actor: 'actor' }, true);
      for (const e of entries.slice(0, shown)) {
        cells({ seq: String(e.seq), at: e.at ? shortTime(e.at) : `due ${e.dueAt.slice(0, 10)} ${e.dueAt.slice(11, 16)}Z`, action: e.action, status: e.status, actor: [e.actor ?? '-', ...e.retriedBy.map((r) => `retried by ${r}`)].join('; ') }, false);
      }
      if (shown < entries.length) texts.push({ x: COLUMNS.seq[0], y, size, text: `${ELLIPSIS} ${entries.length - shown} more, see JSON` });
      return { texts };
    }
  }
  return { texts: [] };
}
