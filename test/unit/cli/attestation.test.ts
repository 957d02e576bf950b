/** `lifecycle attestation`, `attestation-key` and `verify` against a scripted API and files held in memory. */
import { generateKeyPairSync } from 'node:crypto';
import { runWith, type SentRequest } from './cli-harness';

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
