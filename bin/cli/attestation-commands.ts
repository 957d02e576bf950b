/**
 * Offboarding attestations: `attestation` saves a leaver's signed record (JSON, or the one-page PDF), `attestation-key`
 * the public key that checks it, and `verify` checks a saved record offline against a public key the auditor trusts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { verifyAttestation, type Attestation } from '../../lambdas/attestation/attestation';
import { keyIdOf, signatureCheck } from '../../lambdas/attestation/signer';
import { seg, type CommandKit } from './command-kit';
import { printableText } from '../../lambdas/shared/control-chars';
import { EXIT, fail, messageOf, type CliIo } from './io';

/** A file from the API holding a control character other than a line feed (or a bidi mark) is not printed to a terminal. */
const unprintable = (text: string) => printableText(text) !== text;

export type VerifyOutcome = { ok: true; attestation: Attestation; keyId: string; lines: string[] } | { ok: false; lines: string[] };

/**
 * The trusted public key from a file: the PEM, or the JSON `GET /v1/attestation/public-key` answers (its PEM is used,
 * its key id recomputed, never taken on trust).
 */
export function trustedKeyFrom(text: string): { pem: string; keyId: string } {
  let pem = text;
  if (text.trimStart().startsWith('{')) {
    const parsed = JSON.parse(text) as { publicKeyPem?: unknown };
    if (typeof parsed.publicKeyPem !== 'string') throw new Error('the key file is JSON without a publicKeyPem');
    pem = parsed.publicKeyPem;
  }
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw new Error('the key file holds no PEM public key (-----BEGIN PUBLIC KEY-----)');
  return { pem, keyId: keyIdOf(pem) };
}

/** The offline check `lifecycle verify` runs: the saved file's text and the trusted key's, both as read from disk. */
export function verifyAttestationFile(fileText: string, keyText: string): VerifyOutcome {
  let key: { pem: string; keyId: string };
  try {
    key = trustedKeyFrom(keyText);
  } catch (err) {
    return { ok: false, lines: [`the public key cannot be read: ${messageOf(err)}`] };
  }
  const verdict = verifyAttestation(fileText, key.keyId, signatureCheck(key.pem));
  if (!verdict.ok) return { ok: false, lines: [`REFUSED: ${verdict.problem}`] };
  const doc = verdict.attestation;
  return {
    ok: true,
    attestation: doc,
    keyId: key.keyId,
    lines: [
      `verified: offboarding attestation of employee ${doc.employeeId}, ${doc.entries.length} entries chained to head ${doc.head}`,
      `signed by the trusted key ${key.keyId} (${doc.signature.algorithm}); generated ${doc.generatedAt}`,
      ...verdictLines(doc),
    ],
  };
}

/** What the record says of the termination: complete, not complete (each step not done, who and why), provisional, cancelled. */
function verdictLines(doc: Attestation): string[] {
  const unsettled = doc.unsettled.length ? [`cut-off steps not settled when it was made: ${doc.unsettled.map((u) => `${u.stepId} (${u.status})`).join(', ')}`] : [];
  const notDone = doc.notDone.map((n) => `  ${n.stepId} (${n.action}) ${n.status}${n.by ? ` by ${n.by}` : ''}${n.at ? ` at ${n.at}` : ''}${n.reason ? `: ${n.reason}` : ''}`);
  switch (doc.outcome) {
    case 'complete':
      return ['complete: every cut-off step succeeded'];
    case 'incomplete':
      return ['NOT COMPLETE: the leaver was not fully cut off; cut-off steps skipped or cancelled:', ...notDone, ...unsettled];
    case 'provisional':
      return [`PROVISIONAL: ${unsettled[0] ?? 'cut-off steps not settled when it was made'}`];
    case 'cancelled':
      return ['TERMINATION CANCELLED: every termination run was cancelled or rejected; the person is not leaving'];
  }
}

const write = (io: CliIo, path: string, text: string) => (io.writeFile ?? ((p: string, t: string) => writeFile(p, t, 'utf8')))(path, text);
const read = (io: CliIo, path: string) => (io.readFile ?? ((p: string) => readFile(p, 'utf8')))(path);

/** Saves the answer's exact text (the signed bytes), or prints it when no file is named. */
async function saveOrPrint(kit: CommandKit, text: string, out: string | undefined, saved: string): Promise<void> {
  if (out === undefined) {
    if (unprintable(text)) fail(kit.io, EXIT.failed, 'the answer holds control characters: save it with --out <file> instead of printing it');
    kit.io.stdout(text);
    return;
  }
  try {
    await write(kit.io, out, text);
  } catch (err) {
    fail(kit.io, EXIT.failed, `cannot write ${out}: ${messageOf(err)}`);
  }
  kit.out(saved);
}

const SAVED_AS: Record<string, string> = {
  complete: 'complete',
  incomplete: 'NOT COMPLETE: a cut-off step was skipped or cancelled',
  provisional: 'PROVISIONAL: not every cut-off step has settled',
  cancelled: 'the termination was cancelled',
};

export function registerAttestationCommands(program: Command, kit: CommandKit): void {
  program
    .command('attestation')
    .description("a leaver's signed offboarding record: every step, what was read back, when and by whom (JSON, or --pdf)")
    .argument('<employeeId>')
    .option('--pdf', 'the one-page PDF instead of the JSON record')
    .option('--out <file>', 'save it to this file (the JSON exactly as signed: verify needs every byte); without it, it is printed')
    .action(async (employeeId: string, opts: { pdf?: boolean; out?: string }) => {
      const api = kit.client();
      const path = `/v1/employees/${employeeId}/attestation`;
      const answer = await kit.request(`GET ${path}`, () => api.operator('GET', `/v1/employees/${seg(employeeId)}/attestation`, { format: opts.pdf ? 'pdf' : 'json' }));
      const doc = answer.body as Partial<Attestation> | undefined;
      const summary = opts.pdf
        ? `saved the attestation of ${employeeId} as a PDF to ${opts.out}`
        : `saved the attestation of ${employeeId} (${doc?.entries?.length ?? 0} entries, ${SAVED_AS[doc?.outcome ?? ''] ?? (doc?.complete ? 'complete' : 'not complete')}) to ${opts.out}; check it with: npx lifecycle verify ${opts.out} --public-key <key.pem>`;
      await saveOrPrint(kit, answer.text, opts.out, summary);
    });

  program
    .command('attestation-key')
    .description('the public key that checks attestations (PEM), with its key id: give it to the auditor once')
    .option('--out <file>', 'save the PEM to this file')
    .action(async (opts: { out?: string }) => {
      const api = kit.client();
      const answer = await kit.request('GET /v1/attestation/public-key', () => api.operator('GET', '/v1/attestation/public-key'));
      const key = answer.body as { publicKeyPem?: unknown } | undefined;
      if (typeof key?.publicKeyPem !== 'string') return fail(kit.io, EXIT.failed, 'unexpected answer to GET /v1/attestation/public-key: no publicKeyPem');
      const pem = key.publicKeyPem;
      let keyId: string;
      try {
        keyId = keyIdOf(pem);
      } catch (err) {
        return fail(kit.io, EXIT.failed, `the API answered a key that cannot be read: ${messageOf(err)}`);
      }
      await saveOrPrint(kit, pem, opts.out, `saved the attestation public key ${keyId} to ${opts.out}`);
      if (opts.out === undefined) kit.io.stderr(`key id ${keyId}\n`);
    });

  program
    .command('verify')
    .description('check a saved attestation offline: every entry hash, the chain, and the signature by the key you trust')
    .argument('<file>', 'the attestation JSON as saved by `lifecycle attestation --out`')
    .requiredOption('--public-key <file>', 'the trusted public key (PEM, or the JSON of GET /v1/attestation/public-key), obtained from the system, never from the attestation')
    .option('--require-complete', 'also fail unless every cut-off step succeeded (fails on a provisional record, a skipped or cancelled cut-off step, a cancelled termination)')
    .action(async (file: string, opts: { publicKey: string; requireComplete?: boolean }) => {
      let fileText: string;
      let keyText: string;
      try {
        fileText = await read(kit.io, file);
        keyText = await read(kit.io, opts.publicKey);
      } catch (err) {
        return fail(kit.io, EXIT.usage, `cannot read: ${messageOf(err)}`);
      }
      const outcome = verifyAttestationFile(fileText, keyText);
      if (!outcome.ok) return fail(kit.io, EXIT.failed, [`${file}: ${outcome.lines[0]}`, ...outcome.lines.slice(1)]);
      for (const line of outcome.lines) kit.out(line);
      const doc = outcome.attestation;
      if (opts.requireComplete && (doc.outcome !== 'complete' || !doc.complete || doc.notDone.length || doc.unsettled.length)) {
        fail(kit.io, EXIT.failed, `${file} is ${doc.outcome === 'cancelled' ? 'of a cancelled termination' : doc.outcome === 'incomplete' ? 'not complete (a cut-off step was skipped or cancelled)' : 'provisional'}, and --require-complete asks for a complete one`);
      }
    });
}
