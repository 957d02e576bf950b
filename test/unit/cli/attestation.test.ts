/** `lifecycle attestation`, `attestation-key` and `verify` against a scripted API and files held in memory. */
import { generateKeyPairSync } from 'node:crypto';
import { runWith, type SentRequest } from './cli-harness';
import { attestationText, buildAttestation, signingPayload, type Attestation } from '../../../lambdas/attestation/attestation';
import { LocalAttestationSigner } from '../../../local/attestation/local-signer';
import { CUTOFF, leaverAudit, leaverRun } from '../attestation/fixtures';

/** The fixture leaver's record, signed, with these cut-off steps and runs. */
async function signed(signer: LocalAttestationSigner, cutoff: ReadonlySet<string>, runs = [leaverRun()]): Promise<string> {
  const doc = buildAttestation({ employeeId: 'E100', runs, audit: leaverAudit(), cutoffStepIds: cutoff, generatedAt: '2026-12-04T11:00:00.000Z' })!;
  const key = await signer.publicKey();
  const block = { algorithm: key.algorithm, keyId: key.keyId };
  const der = await signer.sign(Buffer.from(signingPayload(doc, block), 'utf8'));
  return attestationText({ ...doc, signature: { ...block, value: Buffer.from(der).toString('base64') } } as Attestation);
}

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = publicKey.export({ format: 'pem', type: 'spki' }).toString();
const SIGNED = '{"complete":true,"employeeId":"E100","entries":[]}';

describe('lifecycle attestation', () => {
  const files = new Map<string, string>();
  const io = (answer: (r: SentRequest) => { status: number; body?: unknown }) => ({
    answer,
    readFile: async (path: string) => {
      const text = files.get(path);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
    writeFile: async (path: string, text: string) => void files.set(path, text),
  });

  it('asks for the JSON and saves the answer exactly as sent', async () => {
    const out = await runWith(['attestation', 'E 100', '--out', 'a.json'], io(() => ({ status: 200, body: SIGNED })));
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.sent[0].url).toBe('http://localhost:3000/v1/employees/E%20100/attestation?format=json');
    expect(files.get('a.json')).toBe(SIGNED);
    expect(out.stdout).toContain('saved the attestation of E 100 (0 entries, complete) to a.json');
  });

  it('asks for the PDF with --pdf, and prints the file when no --out is given', async () => {
    const out = await runWith(['attestation', 'E100', '--pdf'], io(() => ({ status: 200, body: '%PDF-1.4\n%%EOF\n' })));
    expect(out.sent[0].url).toContain('format=pdf');
    expect(out.stdout).toBe('%PDF-1.4\n%%EOF\n');
  });

  it('names the API refusal: a 404 for an employee with no leaver run', async () => {
    const out = await runWith(['attestation', 'E200'], io(() => ({ status: 404, body: { error: 'employee E200 has no leaver run: there is no offboarding to attest' } })));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('HTTP 404: employee E200 has no leaver run');
  });

  it('does not print an answer holding control characters to the terminal', async () => {
    const out = await runWith(['attestation', 'E100'], io(() => ({ status: 200, body: '{"a":"\u001b[2J"}' })));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('save it with --out');
  });

  it('attestation-key saves the PEM and names its key id', async () => {
    const out = await runWith(['attestation-key', '--out', 'key.pem'], io(() => ({ status: 200, body: { keyId: 'sha256:ignored', algorithm: 'ECDSA_SHA_256', publicKeyPem: PEM } })));
    expect(out.code).toBe(0);
    expect(files.get('key.pem')).toBe(PEM);
    expect(out.stdout).toMatch(/^saved the attestation public key sha256:[0-9a-f]{64} to key\.pem/);
  });

  it('verify --require-complete passes a complete record, and fails one with a skipped cut-off step, naming who and why', async () => {
    const signer = LocalAttestationSigner.forDataDir(null);
    files.set('signer.pem', (await signer.publicKey()).publicKeyPem);
    files.set('complete.json', await signed(signer, CUTOFF));
    files.set('skipped.json', await signed(signer, new Set([...CUTOFF, 'forward-event'])));
    const complete = await runWith(['verify', 'complete.json', '--public-key', 'signer.pem', '--require-complete'], io(() => ({ status: 500 })));
    expect(complete).toMatchObject({ code: 0, stderr: '' });
    expect(complete.stdout).toContain('complete: every cut-off step succeeded');
    const plain = await runWith(['verify', 'skipped.json', '--public-key', 'signer.pem'], io(() => ({ status: 500 })));
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('NOT COMPLETE: the leaver was not fully cut off');
    expect(plain.stdout).toContain('forward-event (forward.event) skipped by jane@corp.example at 2026-12-04T10:01:00.000Z: receiver retired, told by phone');
    const required = await runWith(['verify', 'skipped.json', '--public-key', 'signer.pem', '--require-complete'], io(() => ({ status: 500 })));
    expect(required).toMatchObject({ code: 1, stderr: expect.stringContaining('skipped.json is not complete (a cut-off step was skipped or cancelled), and --require-complete asks for a complete one') });
  });

  it('verify says a cancelled termination was cancelled, and --require-complete fails it', async () => {
    const signer = LocalAttestationSigner.forDataDir(null);
    files.set('signer2.pem', (await signer.publicKey()).publicKeyPem);
    const run = leaverRun({ status: 'cancelled', steps: leaverRun().steps.map((s) => ({ ...s, status: 'cancelled' as const, finishedAt: '2026-12-04T09:00:00.000Z' })) });
    files.set('cancelled.json', await signed(signer, CUTOFF, [run]));
    const plain = await runWith(['verify', 'cancelled.json', '--public-key', 'signer2.pem'], io(() => ({ status: 500 })));
    expect(plain).toMatchObject({ code: 0, stdout: expect.stringContaining('TERMINATION CANCELLED') });
    const required = await runWith(['verify', 'cancelled.json', '--public-key', 'signer2.pem', '--require-complete'], io(() => ({ status: 500 })));
    expect(required).toMatchObject({ code: 1, stderr: expect.stringContaining('of a cancelled termination') });
  });

  it('verify needs --public-key, readable files and a PEM key', async () => {
    files.set('doc.json', SIGNED);
    files.set('not-a-key.txt', 'hello');
    files.set('key.pem', PEM);
    expect((await runWith(['verify', 'doc.json'], io(() => ({ status: 500 })))).code).toBe(2);
    const missing = await runWith(['verify', 'nope.json', '--public-key', 'key.pem'], io(() => ({ status: 500 })));
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('nope.json') });
    const badKey = await runWith(['verify', 'doc.json', '--public-key', 'not-a-key.txt'], io(() => ({ status: 500 })));
    expect(badKey).toMatchObject({ code: 1, stderr: expect.stringContaining('holds no PEM public key') });
    const notAnAttestation = await runWith(['verify', 'doc.json', '--public-key', 'key.pem'], io(() => ({ status: 500 })));
    expect(notAnAttestation).toMatchObject({ code: 1, stderr: expect.stringContaining('REFUSED: not an attestation of format') });
    // Offline: nothing was sent.
    expect(notAnAttestation.sent).toEqual([]);
  });
});
