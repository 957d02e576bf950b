/**
 * The offboarding attestation end to end: an urgent leaver runs against the emulators, an auditor (a viewer) fetches
 * the signed record over HTTP as JSON and as a PDF, saves it, checks it offline with the CLI, then changes one byte and
 * sees it refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { playbooks } from '../../config/playbooks';
import type { Run } from '../../lambdas/engine/model';
import type { Runtime } from '../../local/runtime';
import { runWith } from '../unit/cli/cli-harness';
import { verifyAttestationFile } from '../../bin/cli/attestation-commands';
import { daysFromToday, hrBody } from '../support/builders';
import { fastPolling } from '../support/fast-playbooks';
import { eventually, operator, postEvent, start, tempDir, TOKEN } from '../support/harness';

const VIEWER = 'local-viewer-token';
const CUTOFF_IDS = playbooks.terminate.steps.filter((s) => s.cutoff && s.enabled).map((s) => s.id);

describe('offboarding attestation', () => {
  let rt: Runtime;
  const dir = tempDir('attestation-');
  beforeAll(async () => {
    rt = await start({ playbooks: fastPolling });
  });
  afterAll(async () => {
    await rt.stop();
  });

  const get = async (path: string, headers: Record<string, string> = {}, token = VIEWER) => {
    const res = await fetch(`${rt.apiUrl}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const cli = (argv: string[]) => runWith(argv, { env: { LIFECYCLE_API_URL: rt.apiUrl, LIFECYCLE_OPERATOR_TOKEN: TOKEN }, fetch: globalThis.fetch });

  it('an urgent leaver: the record is fetched as JSON and PDF, verified offline, then one byte changed and refused', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'attest-leaver-1', urgent: true, effectiveDate: daysFromToday(0) }));
    expect(res.status).toBe(202);
    const runId = res.body.runId as string;
    await eventually(async () => {
      const run = (await rt.engine.store.getRun('E100', runId)) as Run;
      return CUTOFF_IDS.every((id) => run.steps.find((s) => s.stepId === id)?.status === 'succeeded') && rt.idle();
    }, 30_000, 'every cut-off step succeeded');

    // JSON: the canonical text itself, signed.
    const json = await get('/v1/employees/E100/attestation');
    expect(json).toMatchObject({ status: 200, type: 'application/json' });
    const doc = JSON.parse(json.text);
    expect(doc).toMatchObject({ employeeId: 'E100', complete: true, unsettled: [], runs: [{ runId, urgent: true, status: expect.any(String) }] });
    const cutoff = doc.entries.filter((e: { cutoff: boolean }) => e.cutoff);
    expect(cutoff.map((e: { stepId: string }) => e.stepId).sort()).toEqual([...CUTOFF_IDS].sort());
    expect(cutoff.every((e: { status: string; at: string | null }) => e.status === 'succeeded' && e.at)).toBe(true);
    // What was read back from the provider, and who did it.
    const groups = doc.entries.find((e: { stepId: string }) => e.stepId === 'remove-from-groups');
    expect(groups).toMatchObject({ action: 'google.removeFromGroups', actor: 'google.removeFromGroups', readBack: { result: { removed: { groups: expect.any(Array) } } } });
    expect(groups.readBack.result.removed.groups).toHaveLength(3);
    // The later steps are listed as still to come, due a month on.
    expect(doc.entries.find((e: { stepId: string }) => e.stepId === 'suspend-user')).toMatchObject({ status: 'pending', at: null, cutoff: false });

    // PDF, by the Accept header and by ?format=pdf: one page, the same head hash.
    for (const pdf of [await get('/v1/employees/E100/attestation', { Accept: 'application/pdf' }), await get('/v1/employees/E100/attestation?format=pdf')]) {
      expect(pdf).toMatchObject({ status: 200, type: 'application/pdf' });
      expect(pdf.text.startsWith('%PDF-1.4\n')).toBe(true);
      expect(pdf.text).toContain('/Type /Pages /Kids [3 0 R] /Count 1');
      expect(pdf.text).toContain('(Employee E100');
      expect(pdf.text).toContain(`(${doc.head.slice(0, 40)}`);
    }

    // The auditor saves the record and the public key, then checks offline.
    const key = await get('/v1/attestation/public-key');
    expect(key.status).toBe(200);
    const { keyId, publicKeyPem } = JSON.parse(key.text);
    expect(doc.signature.keyId).toBe(keyId);
    const file = join(dir, 'E100.json');
    const keyFile = join(dir, 'key.pem');
    writeFileSync(file, json.text);
    writeFileSync(keyFile, publicKeyPem);
    expect(verifyAttestationFile(readFileSync(file, 'utf8'), publicKeyPem)).toMatchObject({ ok: true, keyId });
    const verified = await cli(['verify', file, '--public-key', keyFile, '--require-complete']);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
    expect(verified.stdout).toContain(`verified: offboarding attestation of employee E100, ${doc.entries.length} entries chained to head ${doc.head}`);

    // One byte changed: the first entry's time moves by a second.
    const first = doc.entries[0];
    const at = first.at as string;
    const moved = at.replace(/:(\d)(\d)\./, (_m, a: string, b: string) => `:${a}${(Number(b) + 1) % 10}.`);
    const changed = json.text.replace(`"at":"${at}"`, `"at":"${moved}"`);
    expect(changed.length).toBe(json.text.length);
    expect([...changed].filter((c, i) => c !== json.text[i])).toHaveLength(1);
    writeFileSync(file, changed);
    const refused = await cli(['verify', file, '--public-key', keyFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`REFUSED: entry 1 (${runId}/${first.stepId}): its hash does not match its content`);
    // The signature's last character changed instead.
    const sig = doc.signature.value as string;
    const flipped = json.text.replace(sig, `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`);
    writeFileSync(file, flipped);
    expect((await cli(['verify', file, '--public-key', keyFile])).stderr).toContain('REFUSED: the signature does not match the document');
  });

  it('the CLI saves the record and the key, and verify accepts what it saved', async () => {
    const file = join(dir, 'saved.json');
    const keyFile = join(dir, 'saved-key.pem');
    const saved = await cli(['attestation', 'E100', '--out', file]);
    expect(saved).toMatchObject({ code: 0, stderr: '' });
    expect(saved.stdout).toMatch(/^saved the attestation of E100 \(\d+ entries, complete\) to /);
    expect((await cli(['attestation-key', '--out', keyFile])).code).toBe(0);
    expect(await cli(['verify', file, '--public-key', keyFile])).toMatchObject({ code: 0 });
    const pdfFile = join(dir, 'saved.pdf');
    expect((await cli(['attestation', 'E100', '--pdf', '--out', pdfFile])).code).toBe(0);
    expect(readFileSync(pdfFile, 'utf8')).toMatch(/^%PDF-1\.4\n[\s\S]*%%EOF\n$/);
    // The PDF is a summary, not the evidence: verify refuses it.
    expect((await cli(['verify', pdfFile, '--public-key', keyFile])).stderr).toContain('REFUSED: the file is not JSON');
  });

  it('a leaver whose cut-off has not come yet gets a provisional record, which --require-complete refuses', async () => {
    const employee = { ...hrBody().employee, id: 'E-LATER', email: 'later@example.com' };
    expect((await postEvent(rt, hrBody({ eventId: 'attest-later-1', effectiveDate: daysFromToday(20), employee }))).status).toBe(202);
    const answer = await get('/v1/employees/E-LATER/attestation');
    const doc = JSON.parse(answer.text);
    expect(doc).toMatchObject({ complete: false });
    expect(doc.unsettled.map((u: { stepId: string }) => u.stepId).sort()).toEqual([...CUTOFF_IDS].sort());
    const file = join(dir, 'later.json');
    const keyFile = join(dir, 'later-key.pem');
    writeFileSync(file, answer.text);
    writeFileSync(keyFile, JSON.parse((await get('/v1/attestation/public-key')).text).publicKeyPem);
    const plain = await cli(['verify', file, '--public-key', keyFile]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('PROVISIONAL: cut-off steps not settled when it was made');
    expect((await cli(['verify', file, '--public-key', keyFile, '--require-complete'])).code).toBe(1);
    const pdf = await get('/v1/employees/E-LATER/attestation?format=pdf');
    expect(pdf.text).toContain('(Offboarding attestation - PROVISIONAL)');
  });

  it('an operator skips a cut-off step: the record says NOT COMPLETE with who and why, and --require-complete refuses it', async () => {
    const employee = { ...hrBody().employee, id: 'E-SKIPPED', email: 'skipped@example.com' };
    const res = await postEvent(rt, hrBody({ eventId: 'attest-skip-1', effectiveDate: daysFromToday(20), employee }));
    expect(res.status).toBe(202);
    const skipped = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/steps/reset-password/skip`, { reason: 'password reset by hand at the desk' });
    expect(skipped.status).toBe(200);
    const answer = await get('/v1/employees/E-SKIPPED/attestation');
    const doc = JSON.parse(answer.text);
    expect(doc).toMatchObject({ complete: false, outcome: 'incomplete', notDone: [{ stepId: 'reset-password', status: 'skipped', by: expect.any(String), reason: 'password reset by hand at the desk' }] });
    const file = join(dir, 'skipped.json');
    const keyFile = join(dir, 'skipped-key.pem');
    writeFileSync(file, answer.text);
    writeFileSync(keyFile, JSON.parse((await get('/v1/attestation/public-key')).text).publicKeyPem);
    const plain = await cli(['verify', file, '--public-key', keyFile]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('NOT COMPLETE: the leaver was not fully cut off');
    expect(plain.stdout).toContain('reset-password (google.resetPassword) skipped by');
    expect((await cli(['verify', file, '--public-key', keyFile, '--require-complete'])).code).toBe(1);
    expect((await get('/v1/employees/E-SKIPPED/attestation?format=pdf')).text).toContain('(Offboarding attestation - NOT COMPLETE)');
  });

  it('404 for an unknown employee and for one with no leaver run; a bad format named; no token, 401', async () => {
    expect(await get('/v1/employees/E-NOBODY/attestation')).toMatchObject({ status: 404, text: expect.stringContaining('employee E-NOBODY not found') });
    const employee = { ...hrBody().employee, id: 'E-STAYS', email: 'stays@example.com' };
    await postEvent(rt, hrBody({ eventId: 'attest-hire-1', type: 'hire', effectiveDate: daysFromToday(20), employee }));
    expect(await get('/v1/employees/E-STAYS/attestation')).toMatchObject({ status: 404, text: expect.stringContaining('has no leaver run') });
    expect(await get('/v1/employees/E100/attestation?format=docx')).toMatchObject({ status: 400, text: expect.stringContaining('format: must be json or pdf') });
    expect((await fetch(`${rt.apiUrl}/v1/employees/E100/attestation`)).status).toBe(401);
  });
});
