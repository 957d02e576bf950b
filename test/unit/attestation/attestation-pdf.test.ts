/** The attestation's one-page PDF: a file real readers open (offsets in the cross-reference table, one page), and what the page shows. */
import { attestationPdf, fitText, onePagePdf, pdfString, textWidth } from '../../../lambdas/attestation/attestation-pdf';
import { buildAttestation, type Attestation } from '../../../lambdas/attestation/attestation';
import type { Step } from '../../../lambdas/engine/model';
import { CUTOFF, leaverAudit, leaverRun } from './fixtures';

function attestation(extraSteps = 0): Attestation {
  const run = leaverRun();
  for (let i = 0; i < extraSteps; i++) {
    run.steps.push({ ...(run.steps[0] as Step), stepId: `extra-${i}`, action: `google.extraStep${i}`, finishedAt: `2026-12-04T10:0${i % 10}:00.000Z` });
  }
  const doc = buildAttestation({ employeeId: 'E100', runs: [run], audit: leaverAudit(), cutoffStepIds: CUTOFF, generatedAt: '2026-12-04T11:00:00.000Z' })!;
  return { ...doc, signature: { algorithm: 'ECDSA_SHA_256', keyId: `sha256:${'ab'.repeat(32)}`, value: 'MEUCIQ'.padEnd(96, 'x') + '==' } };
}

/** The PDF's structure as a reader finds it: from startxref to the table, each object where the table says. */
function readPdf(pdf: string) {
  expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
  expect(pdf.endsWith('%%EOF\n')).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)![1]);
  expect(pdf.slice(startxref, startxref + 5)).toBe('xref\n');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(pdf.slice(startxref))!.map(Number);
  expect(first).toBe(0);
  const table = pdf.slice(startxref).split('\n').slice(2, 2 + count);
  expect(table[0]).toBe('0000000000 65535 f ');
  const objects = new Map<number, string>();
  table.slice(1).forEach((row, i) => {
    expect(row).toMatch(/^\d{10} 00000 n $/);
    const offset = Number(row.slice(0, 10));
    const header = `${i + 1} 0 obj\n`;
    expect(pdf.slice(offset, offset + header.length)).toBe(header);
    objects.set(i + 1, pdf.slice(offset + header.length, pdf.indexOf('\nendobj\n', offset)));
  });
  const trailer = /trailer\n<< \/Size (\d+) \/Root (\d+) 0 R/.exec(pdf)!;
  expect(Number(trailer[1])).toBe(count);
  return { objects, root: Number(trailer[2]) };
}

function contentOf(pdf: string): string {
  const { objects } = readPdf(pdf);
  const stream = [...objects.values()].find((o) => o.includes('stream\n'))!;
  const length = Number(/\/Length (\d+)/.exec(stream)![1]);
  const body = stream.slice(stream.indexOf('stream\n') + 7, stream.lastIndexOf('\nendstream'));
  expect(body.length).toBe(length);
  return body;
}

/** The texts the page shows, string escapes undone. */
const shown = (content: string) => [...content.matchAll(/Td \((.*)\) Tj ET/g)].map((m) => m[1].replace(/\\([()\\])/g, '$1'));

describe('the attestation PDF', () => {
  it('is one page whose cross-reference table gives each object its exact byte offset', () => {
    const pdf = attestationPdf(attestation());
    const { objects, root } = readPdf(pdf);
    expect(objects.get(root)).toContain('/Type /Catalog /Pages 2 0 R');
    expect(objects.get(2)).toContain('/Type /Pages /Kids [3 0 R] /Count 1');
    expect([...objects.values()].filter((o) => /\/Type \/Page\b(?!s)/.test(o))).toHaveLength(1);
    expect([...objects.values()].filter((o) => o.includes('/BaseFont /Helvetica'))).toHaveLength(2);
  });

  it('is 7-bit ASCII throughout, so it travels as text', () => {
    const doc = attestation();
    doc.entries[0].actor = 'jöe (ops) \\ ünïcode ☃';
    expect(attestationPdf(doc)).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('shows the employee, the run, each step with its time, action, status and actor, then the head, the key id and the signature', () => {
    const doc = attestation();
    const lines = shown(contentOf(attestationPdf(doc)));
    const text = lines.join('\n');
    expect(text).toContain('Offboarding attestation');
    expect(text).not.toContain('PROVISIONAL');
    expect(text).toContain('Employee E100');
    expect(text).toContain('Run run-term-1: termination effective 2026-12-04, urgent, event hr-term-1, in_progress');
    for (const e of doc.entries) expect(lines).toEqual(expect.arrayContaining([e.action, e.status]));
    expect(lines).toEqual(expect.arrayContaining(['2026-12-04 10:00:00Z', 'google.signOut', 'jane@corp.example', 'google.removeFromGroups; retried by joe@corp.example', 'due 2027-01-03 08:00Z']));
    expect(lines).toContain(doc.head);
    expect(text).toContain(`key ${doc.signature.keyId}`);
    expect(text.replace(/\n/g, '')).toContain(doc.signature.value);
  });

  it('says PROVISIONAL, and which cut-off steps have not settled, when not complete', () => {
    const doc = { ...attestation(), complete: false, outcome: 'provisional' as const, unsettled: [{ runId: 'run-term-1', stepId: 'forward-event', action: 'forward.event', status: 'needs_attention' }] };
    const text = shown(contentOf(attestationPdf(doc))).join('\n');
    expect(text).toContain('Offboarding attestation - PROVISIONAL');
    expect(text).toContain('Cut-off steps not settled yet: forward-event (needs_attention)');
  });

  it('says NOT COMPLETE, with each cut-off step not done, who skipped it and why', () => {
    const built = buildAttestation({ employeeId: 'E100', runs: [leaverRun()], audit: leaverAudit(), cutoffStepIds: new Set([...CUTOFF, 'forward-event']), generatedAt: '2026-12-04T11:00:00.000Z' })!;
    const text = shown(contentOf(attestationPdf({ ...attestation(), ...built }))).join('\n');
    expect(text).toContain('Offboarding attestation - NOT COMPLETE');
    expect(text).toContain('NOT COMPLETE: the leaver was not fully cut off');
    expect(text).toContain('forward-event (forward.event) skipped by jane@corp.example at 2026-12-04 10:01:00Z: receiver retired, told by phone');
  });

  it('says TERMINATION CANCELLED for a termination called off, not complete', () => {
    const text = shown(contentOf(attestationPdf({ ...attestation(), complete: false, outcome: 'cancelled' }))).join('\n');
    expect(text).toContain('Offboarding attestation - TERMINATION CANCELLED');
    expect(text).not.toContain('Complete');
  });

  it('fits many steps on its one page with a smaller font, and counts the rest it cannot show', () => {
    const content = contentOf(attestationPdf(attestation(60)));
    expect(content).toMatch(/\/F1 [67] Tf/);
    expect(shown(content)).toContain('google.extraStep59');
    expect(shown(content).some((t) => t.includes('more, see JSON'))).toBe(false);
    const crowded = attestationPdf(attestation(200));
    readPdf(crowded);
    const crowdedContent = contentOf(crowded);
    expect(shown(crowdedContent).find((t) => t.endsWith('more, see JSON'))).toMatch(/^\\205 \d+ more, see JSON$/);
    // Nothing runs off the page: every line sits inside the margins.
    for (const m of crowdedContent.matchAll(/Tf ([\d.]+) ([\d.]+) Td/g)) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(40);
      expect(Number(m[2])).toBeGreaterThanOrEqual(40);
      expect(Number(m[2])).toBeLessThanOrEqual(842 - 40);
    }
  });
});

describe('the PDF writer', () => {
  it('escapes what a string literal must, writes WinAnsi outside ASCII as octal, and what it lacks as ?', () => {
    expect(pdfString('a (b) \\ c')).toBe('(a \\(b\\) \\\\ c)');
    expect(pdfString('Zoë – €5…')).toBe('(Zo\\353 \\226 \\2005\\205)');
    expect(pdfString('☃\u0007x')).toBe('(? x)');
  });

  it('measures Helvetica and cuts a text to a width with an ellipsis', () => {
    expect(textWidth('Hello', 10)).toBeCloseTo((722 + 556 + 222 + 222 + 556) / 100);
    expect(fitText('short', 100, 8)).toBe('short');
    const cut = fitText('google.removeExternalForwarding', 60, 8);
    expect(cut.endsWith('\u2026')).toBe(true);
    expect(textWidth(cut, 8)).toBeLessThanOrEqual(60);
  });

  it('writes a creation date and title in the info dictionary', () => {
    const pdf = onePagePdf({ title: 'T (1)', createdAt: '2026-12-04T11:22:33.000Z', texts: [] });
    expect(pdf).toContain('/Title (T \\(1\\)) /Producer (account-lifecycle) /CreationDate (D:20261204112233Z)');
    readPdf(pdf);
  });
});
