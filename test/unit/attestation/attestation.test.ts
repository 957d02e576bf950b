/** The attestation: canonical JSON, the chained entries built from a leaver's run and audit trail, the signature, and the offline check refusing any changed byte. */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, isCanonical } from '../../../lambdas/attestation/canonical-json';
import { attestEmployee, cutoffStepIds } from '../../../lambdas/attestation/attest';
import { playbooks } from '../../../config/playbooks';
import { planRun } from '../../../lambdas/engine/plan';
import { REHIRE_CANCEL } from '../../../lambdas/engine/model';
import { noRole } from '../../../lambdas/roles/role-plan';
import { renderRole } from '../../../lambdas/roles/render';
import { settings, terminateEvent } from '../../support/builders';
import { attestationText, buildAttestation, entryHash, headerHash, signingPayload, verifyAttestation, type Attestation } from '../../../lambdas/attestation/attestation';
import { keyIdOf, signatureCheck } from '../../../lambdas/attestation/signer';
import { LocalAttestationSigner } from '../../../local/attestation/local-signer';
import { sha256Hex } from '../../../lambdas/shared/sha256';
import { memoryEngine } from '../../support/memory-engine';
import { CUTOFF, leaverAudit, leaverRun } from './fixtures';
import { encodeEcdsaDer, isLowS, P256_ORDER, parseEcdsaDer, toLowS } from '../../../lambdas/attestation/ecdsa-der';
import { maskEmail, maskPhone, redactReadBack, REDACTIONS } from '../../../lambdas/attestation/redaction';
import type { Step } from '../../../lambdas/engine/model';
import { ACTION_NAMES } from '../../../lambdas/actions/catalog';

const catalogNames = ACTION_NAMES;

describe('canonical JSON', () => {
  it('sorts keys at every depth, keeps array order and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for the same value whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: { q: 2, p: 3 } })).toBe(canonicalJson({ y: { p: 3, q: 2 }, x: 1 }));
  });

  it('reads a value as a JSON round trip does: undefined keys dropped, dates as their ISO text, strings escaped as JSON escapes them', () => {
    expect(canonicalJson({ a: undefined, b: new Date('2026-12-04T10:00:00.000Z'), c: 'line\n"quoted" é' })).toBe('{"b":"2026-12-04T10:00:00.000Z","c":"line\\n\\"quoted\\" é"}');
    expect(canonicalJson([1.5, -0, 1e21])).toBe('[1.5,0,1e+21]');
  });

  it('sorts keys by UTF-16 code unit, upper case before lower case', () => {
    expect(canonicalJson({ b: 0, B: 0, a: 0, _: 0 })).toBe('{"B":0,"_":0,"a":0,"b":0}');
  });

  it('tells canonical text from the same value written otherwise', () => {
    expect(isCanonical('{"a":1,"b":[2]}')).toEqual({ ok: true, value: { a: 1, b: [2] } });
    expect(isCanonical('{"a": 1,"b":[2]}')).toMatchObject({ ok: false, at: 5 });
    expect(isCanonical('{"b":[2],"a":1}')).toMatchObject({ ok: false, at: 2 });
    expect(isCanonical('{"a":1}\n')).toMatchObject({ ok: false, at: 7 });
    expect(isCanonical('{"a":')).toMatchObject({ ok: false, reason: expect.stringContaining('not JSON') });
  });
});

describe('buildAttestation', () => {
  const build = (runs = [leaverRun()], audit = leaverAudit()) =>
    buildAttestation({ employeeId: 'E100', runs, audit, cutoffStepIds: CUTOFF, generatedAt: '2026-12-04T11:00:00.000Z' })!;

  it('lists every step, the settled ones in the order they settled, then those still to come', () => {
    expect(build().entries.map((e) => [e.seq, e.stepId, e.status, e.at])).toEqual([
      [1, 'sign-out', 'succeeded', '2026-12-04T10:00:00.300Z'],
      [2, 'forward-event', 'skipped', '2026-12-04T10:01:00.000Z'],
      [3, 'remove-from-groups', 'succeeded', '2026-12-04T10:04:00.000Z'],
      [4, 'suspend-user', 'pending', null],
    ]);
  });

  it('names who settled each step, the operators who retried it, and what was read back', () => {
    const [signOut, skipped, groups, later] = build().entries;
    expect(signOut).toMatchObject({
      actor: 'google.signOut',
      retriedBy: [],
      cutoff: true,
      readBack: { note: 'signed out of every web and device session', providerAnswer: 'users.signOut answered 204', account: { address: 'ada@example.com', state: 'active' }, change: 'step succeeded' },
    });
    expect(skipped).toMatchObject({ actor: 'jane@corp.example', readBack: { change: 'step skipped by an operator: receiver retired, told by phone' } });
    expect(groups).toMatchObject({ actor: 'google.removeFromGroups', retriedBy: ['joe@corp.example'], readBack: { result: { removed: [{ group: 'all@example.com', role: 'MEMBER' }] }, providerAnswer: 'groups read back: none' } });
    expect(later).toMatchObject({ stepId: 'suspend-user', cutoff: false, at: null, actor: null, dueAt: '2027-01-03T08:00:00.000Z', readBack: {} });
  });

  it('chains the entries: the first points at the header, each next one at the hash before, the head at the last', () => {
    const doc = build();
    expect(doc.entries[0].prevHash).toBe(headerHash(doc));
    for (let i = 1; i < doc.entries.length; i++) expect(doc.entries[i].prevHash).toBe(doc.entries[i - 1].hash);
    for (const e of doc.entries) {
      const { hash: _h, ...rest } = e;
      expect(e.hash).toBe(sha256Hex(canonicalJson(rest)));
      expect(entryHash(e)).toBe(e.hash);
    }
    expect(doc.head).toBe(doc.entries.at(-1)!.hash);
  });

  it('is complete once every cut-off step has settled, whatever the later steps', () => {
    expect(build()).toMatchObject({ complete: true, outcome: 'complete', unsettled: [], notDone: [] });
    const run = leaverRun();
    run.steps[1] = { ...run.steps[1], status: 'needs_attention', finishedAt: undefined, lastError: { message: 'groups answered 500', retryable: true, providerAnswer: '500 from groups' } };
    const provisional = build([run]);
    expect(provisional).toMatchObject({ complete: false, outcome: 'provisional', notDone: [], unsettled: [{ runId: 'run-term-1', stepId: 'remove-from-groups', action: 'google.removeFromGroups', status: 'needs_attention' }] });
    expect(provisional.entries.find((e) => e.stepId === 'remove-from-groups')).toMatchObject({ at: null, actor: null, readBack: { error: 'groups answered 500', providerAnswer: '500 from groups' } });
  });

  it('covers only termination runs, oldest first, and none means there is nothing to attest', () => {
    const hire = leaverRun({ runId: 'run-hire', type: 'hire', createdAt: '2026-01-01T00:00:00.000Z' });
    const second = leaverRun({ runId: 'run-term-2', createdAt: '2026-12-05T00:00:00.000Z' });
    expect(build([second, hire, leaverRun()]).runs.map((r) => r.runId)).toEqual(['run-term-1', 'run-term-2']);
    expect(buildAttestation({ employeeId: 'E100', runs: [hire], audit: [], cutoffStepIds: CUTOFF, generatedAt: '2026-12-04T11:00:00.000Z' })).toBeUndefined();
  });

  it('names the actor of a cancelled step from the run-level cancel', () => {
    const run = leaverRun({ status: 'cancelled' });
    run.steps[3] = { ...run.steps[3], status: 'cancelled', finishedAt: '2026-12-04T12:00:00.000Z' };
    const audit = [...leaverAudit(), { at: '2026-12-04T12:00:00.000Z', employeeId: 'E100', runId: 'run-term-1', actor: 'hr-event', change: 'run cancelled by event hr-cancel', from: 'in_progress', to: 'cancelled' }];
    expect(build([run], audit).entries.at(-1)).toMatchObject({ stepId: 'suspend-user', status: 'cancelled', actor: 'hr-event' });
  });

  it('names who rejected a quarantined run as the actor of its cancelled steps', () => {
    const run = leaverRun({ status: 'rejected', steps: leaverRun().steps.map((s) => ({ ...s, status: 'cancelled' as const, finishedAt: '2026-12-04T09:00:00.000Z' })) });
    const audit = [{ at: '2026-12-04T09:00:00.000Z', employeeId: 'E100', runId: 'run-term-1', actor: 'approver@corp.example', change: 'rejected in quarantine by an operator: no step ran', from: 'quarantined', to: 'rejected' }];
    const doc = buildAttestation({ employeeId: 'E100', runs: [run], audit, cutoffStepIds: CUTOFF, generatedAt: '2026-12-04T11:00:00.000Z' })!;
    expect(doc.entries.map((e) => [e.status, e.actor])).toEqual(Array(4).fill(['cancelled', 'approver@corp.example']));
    expect(doc.runs[0].status).toBe('rejected');
  });
});

describe('what counts as cut off', () => {
  const build = (runs = [leaverRun()], audit = leaverAudit(), cutoff: ReadonlySet<string> = CUTOFF) =>
    buildAttestation({ employeeId: 'E100', runs, audit, cutoffStepIds: cutoff, generatedAt: '2026-12-04T11:00:00.000Z' })!;
  const roleStep = (extra: Partial<Step> = {}): Step => ({
    stepId: 'role-remove-group-sales',
    action: 'google.removeFromGroups',
    params: { groups: ['sales@example.com'] },
    status: 'succeeded',
    dueAt: '2026-12-04T10:00:00.000Z',
    after: [],
    attempts: 1,
    finishedAt: '2026-12-04T10:00:02.000Z',
    fromRole: true,
    removes: true,
    ...extra,
  });

  it("counts the revocations the leaver's role adds as cut-off steps: a failed one holds the record back", () => {
    const run = leaverRun();
    run.steps.push(roleStep({ status: 'needs_attention', finishedAt: undefined, lastError: { message: 'groups answered 500', retryable: true } }));
    const doc = build([run]);
    expect(doc.entries.find((e) => e.stepId === 'role-remove-group-sales')).toMatchObject({ cutoff: true, status: 'needs_attention' });
    expect(doc).toMatchObject({ complete: false, outcome: 'provisional', unsettled: [{ stepId: 'role-remove-group-sales', action: 'google.removeFromGroups', status: 'needs_attention' }] });
    const done = leaverRun();
    done.steps.push(roleStep());
    expect(build([done])).toMatchObject({ complete: true, outcome: 'complete' });
  });

  it("marks as cut-off steps every revocation the plan adds from a leaver's role, with the playbook's own", () => {
    const role = noRole('sales');
    role.lists.googleGroups = [{ value: 'sales@example.com', grantedBy: 'sales' }];
    role.lists.googleCalendars = [{ value: 'c_sales@group.calendar.google.com', grantedBy: 'sales' }];
    const run = planRun(terminateEvent({ urgent: false }), playbooks, new Date('2026-11-23T10:00:00Z'), settings, { name: role.name, resolved: role, text: renderRole(role), grantedByRunId: 'run-hire', planned: 1 });
    const fromRole = run.steps.filter((st) => st.fromRole);
    expect(fromRole.length).toBeGreaterThan(0);
    const doc = build([run], [], cutoffStepIds({ terminate: playbooks.terminate } as never));
    const cutoff = new Set(doc.entries.filter((e) => e.cutoff).map((e) => e.stepId));
    for (const st of fromRole) expect(cutoff).toContain(st.stepId);
    for (const st of playbooks.terminate.steps.filter((p) => p.enabled && p.cutoff)) expect(cutoff).toContain(st.id);
    expect(doc.unsettled.map((u) => u.stepId)).toEqual(expect.arrayContaining(fromRole.map((st) => st.stepId)));
  });

  it('a skipped cut-off step is not done: not complete, with who skipped it and why from the audit trail', () => {
    const doc = build([leaverRun()], leaverAudit(), new Set([...CUTOFF, 'forward-event']));
    expect(doc).toMatchObject({
      complete: false,
      outcome: 'incomplete',
      unsettled: [],
      notDone: [{ runId: 'run-term-1', stepId: 'forward-event', action: 'forward.event', status: 'skipped', at: '2026-12-04T10:01:00.000Z', by: 'jane@corp.example', reason: 'receiver retired, told by phone' }],
    });
  });

  it("a skipped role revocation and a cancelled cut-off step in a termination that went on are not done either", () => {
    const run = leaverRun();
    run.steps[0] = { ...run.steps[0], status: 'cancelled' };
    run.steps.push(roleStep({ status: 'skipped', finishedAt: '2026-12-04T10:02:00.000Z' }));
    const audit = [...leaverAudit(), { at: '2026-12-04T10:02:00.000Z', employeeId: 'E100', runId: 'run-term-1', stepId: 'role-remove-group-sales', actor: 'joe@corp.example', change: 'step skipped by an operator', from: 'needs_attention', to: 'skipped' }];
    const doc = build([run], audit);
    expect(doc.outcome).toBe('incomplete');
    expect(doc.notDone.map((n) => [n.stepId, n.status, n.by, n.reason])).toEqual([
      ['sign-out', 'cancelled', null, null],
      ['role-remove-group-sales', 'skipped', 'joe@corp.example', null],
    ]);
  });

  it('a cancelled termination says so, not complete; a later termination in force is what counts', () => {
    const cancelled = leaverRun({ status: 'cancelled', steps: leaverRun().steps.map((s) => ({ ...s, status: 'cancelled' as const, finishedAt: '2026-12-04T09:00:00.000Z' })) });
    const audit = [{ at: '2026-12-04T09:00:00.000Z', employeeId: 'E100', runId: 'run-term-1', actor: 'hr-event', change: 'run cancelled by event hr-cancel', from: 'scheduled', to: 'cancelled' }];
    expect(build([cancelled], audit)).toMatchObject({ complete: false, outcome: 'cancelled', notDone: [], unsettled: [] });
    const again = leaverRun({ runId: 'run-term-2', createdAt: '2026-12-05T00:00:00.000Z' });
    expect(build([cancelled, again], audit)).toMatchObject({ complete: true, outcome: 'complete', notDone: [] });
  });
  it('a termination a rehire ended still attests the leaving that happened: its cut-off ran, only its tail was cancelled', () => {
    const run = leaverRun({ status: 'cancelled' });
    run.steps[3] = { ...run.steps[3], status: 'cancelled', finishedAt: '2026-12-20T09:00:00.000Z' };
    const at = '2026-12-20T09:00:00.000Z';
    const byRehire = [...leaverAudit(), { at, employeeId: 'E100', runId: 'run-term-1', actor: 'hr-event', change: `${REHIRE_CANCEL}hire-2`, from: 'in_progress', to: 'cancelled' }];
    expect(build([run], byRehire)).toMatchObject({ complete: true, outcome: 'complete', notDone: [], unsettled: [] });
    const byHr = [...leaverAudit(), { at, employeeId: 'E100', runId: 'run-term-1', actor: 'hr-event', change: 'run cancelled by event hr-cancel', from: 'in_progress', to: 'cancelled' }];
    expect(build([run], byHr)).toMatchObject({ complete: false, outcome: 'cancelled' });
  });
});

describe('personal data in the read-back', () => {
  it('masks the recovery email and phone, keeping that they were there and are gone', () => {
    const run = leaverRun();
    run.steps.push({ ...run.steps[0], stepId: 'remove-recovery-info', action: 'google.removeRecoveryInfo', note: 'removed the recovery email and recovery phone', account: undefined, result: { removed: { recoveryEmail: 'ada.private@gmail.example', recoveryPhone: '+49 151 2345 6712' } } });
    const doc = buildAttestation({ employeeId: 'E100', runs: [run], audit: leaverAudit(), cutoffStepIds: CUTOFF, generatedAt: '2026-12-04T11:00:00.000Z' })!;
    expect(doc.entries.find((e) => e.stepId === 'remove-recovery-info')!.readBack).toEqual({
      note: 'removed the recovery email and recovery phone',
      result: { removed: { recoveryEmail: 'a***@gmail.example', recoveryPhone: '+49 *** **12' } },
    });
    const text = canonicalJson(doc);
    expect(text).not.toContain('ada.private');
    expect(text).not.toContain('2345');
  });

  it('one list, keyed by action and field: send-as signatures, forwarding addresses, auto-reply text; nulls and other actions left alone', () => {
    expect(redactReadBack('google.removeSendAs', { result: { removed: { sendAs: [{ sendAsEmail: 'sales@example.com', signature: 'Ada Lovelace\nMobile +49 151 2345 6712' }, { sendAsEmail: 'team@example.com', signature: null }] } } })).toEqual({
      result: { removed: { sendAs: [{ sendAsEmail: 's***@example.com', signature: 'present (37 characters)' }, { sendAsEmail: 't***@example.com', signature: null }] } },
    });
    expect(redactReadBack('google.removeExternalForwarding', { result: { removed: { autoForwarding: { enabled: true, emailAddress: 'ada@home.example' }, forwardingAddresses: ['ada@home.example', 'x@y.example'] } } })).toEqual({
      result: { removed: { autoForwarding: { enabled: true, emailAddress: 'a***@home.example' }, forwardingAddresses: ['a***@home.example', 'x***@y.example'] } },
    });
    expect(redactReadBack('google.setAutoReply', { result: { previous: { enableAutoReply: true, responseSubject: 'Away', responseBodyPlainText: null } } })).toEqual({ result: { previous: { enableAutoReply: true, responseSubject: 'present (4 characters)', responseBodyPlainText: null } } });
    expect(redactReadBack('google.removeRecoveryInfo', { result: { removed: { recoveryEmail: null, recoveryPhone: null } } })).toEqual({ result: { removed: { recoveryEmail: null, recoveryPhone: null } } });
    const other = { result: { removed: { recoveryEmail: 'kept@example.com' } } };
    expect(redactReadBack('google.signOut', other)).toBe(other);
    for (const action of Object.keys(REDACTIONS)) expect(catalogNames).toContain(action);
  });

  it("masks a send-as address, its reply-to and the addresses in the step's note, as removeSendAs records them", async () => {
    const { removeSendAs } = await import('../../../lambdas/actions/google/remove-send-as');
    expect(removeSendAs.name).toBe('google.removeSendAs');
    const readBack = {
      note: 'removed 1 send-as address(es): ada.private@home.example',
      result: { removed: { sendAs: [{ sendAsEmail: 'ada.private@home.example', displayName: 'Ada', replyToAddress: 'ada@home.example', signature: 'Ada L.', isDefault: false }] } },
    };
    expect(redactReadBack('google.removeSendAs', readBack)).toEqual({
      note: 'removed 1 send-as address(es): a***@home.example',
      result: { removed: { sendAs: [{ sendAsEmail: 'a***@home.example', displayName: 'Ada', replyToAddress: 'a***@home.example', signature: 'present (6 characters)', isDefault: false }] } },
    });
    expect(redactReadBack('google.removeExternalForwarding', { providerAnswer: 'still forwarding to x@y.example, z@w.example' })).toEqual({ providerAnswer: 'still forwarding to x***@y.example, z***@w.example' });
  });

  it('masks an email to its first letter and domain, a phone to its country code and last two digits', () => {
    expect(maskEmail('a@b.example')).toBe('a***@b.example');
    expect(maskEmail('no-at-sign')).toBe('***');
    expect(maskPhone('+4915123456712')).toBe('+49 *** **12');
    expect(maskPhone('030 1234 5678')).toBe('*** **78');
    expect(maskPhone('12')).toBe('***');
  });
});

describe('low-S signatures', () => {
  it('refuses a document whose signature was turned to its high-S twin, which the key alone would accept', async () => {
    const { doc, text, keyId, pem } = await signedFixture();
    const der = Buffer.from(doc.signature.value, 'base64');
    const { r, s } = parseEcdsaDer(der)!;
    const high = Buffer.from(encodeEcdsaDer(r, P256_ORDER - s));
    const { signature: _s, ...unsigned } = doc;
    // Both forms check against the key: the refusal is the low-S rule's.
    expect(signatureCheck(pem)(signingPayload(unsigned, doc.signature), high)).toBe(true);
    const twin = canonicalJson({ ...doc, signature: { ...doc.signature, value: high.toString('base64') } });
    expect(twin).not.toBe(text);
    expect(verifyAttestation(twin, keyId, signatureCheck(pem))).toEqual({ ok: false, problem: expect.stringContaining('not in its low-S form') });
    expect(verifyAttestation(text, keyId, signatureCheck(pem)).ok).toBe(true);
  });

  it('the local signer always gives the low-S form', async () => {
    const signer = LocalAttestationSigner.forDataDir(null);
    const { publicKeyPem } = await signer.publicKey();
    for (let i = 0; i < 24; i++) {
      const der = await signer.sign(Buffer.from(`message ${i}`));
      expect(isLowS(der)).toBe(true);
      expect(signatureCheck(publicKeyPem)(`message ${i}`, der)).toBe(true);
    }
  });

  it('reads strict DER only, and turns high-S to low-S', () => {
    const low = encodeEcdsaDer(5n, 7n);
    expect(parseEcdsaDer(low)).toEqual({ r: 5n, s: 7n });
    expect(isLowS(low)).toBe(true);
    expect(isLowS(encodeEcdsaDer(5n, P256_ORDER - 7n))).toBe(false);
    expect(parseEcdsaDer(toLowS(encodeEcdsaDer(5n, P256_ORDER - 7n)))).toEqual({ r: 5n, s: 7n });
    // A needless leading zero, trailing bytes, a negative integer: not DER.
    expect(parseEcdsaDer(Buffer.from('3007020105020200' + '07', 'hex'))).toBeUndefined();
    expect(parseEcdsaDer(Buffer.concat([Buffer.from(low), Buffer.from([0])]))).toBeUndefined();
    expect(parseEcdsaDer(Buffer.from('3006020185020107', 'hex'))).toBeUndefined();
    expect(() => toLowS(Buffer.from('300000', 'hex'))).toThrow('not a DER ECDSA P-256 signature');
  });
});

/** A signed attestation of the fixture leaver, as the API answers it (canonical JSON). */
async function signedFixture(signer = LocalAttestationSigner.forDataDir(null)): Promise<{ text: string; doc: Attestation; keyId: string; pem: string }> {
  const engine = memoryEngine({ start: '2026-12-04T11:00:00.000Z' });
  const run = leaverRun();
  await engine.store.createRun(run);
  await engine.store.appendAudit(leaverAudit());
  const out = await attestEmployee({ ...engine.deps, playbooks: { ...engine.deps.playbooks, terminate: { steps: [...CUTOFF].map((id) => ({ id, action: 'x', cutoff: true, enabled: true, offsetDays: 0, at: '00:00', after: [], params: {} })) } } as never }, signer, 'E100');
  if (out.outcome !== 'signed') throw new Error(out.message);
  const key = await signer.publicKey();
  return { text: attestationText(out.attestation), doc: out.attestation, keyId: key.keyId, pem: key.publicKeyPem };
}

describe('signing and verifying', () => {
  it('signs the canonical document with the key id and algorithm, and the check accepts it', async () => {
    const { text, doc, keyId, pem } = await signedFixture();
    expect(doc.signature).toMatchObject({ algorithm: 'ECDSA_SHA_256', keyId });
    expect(keyId).toBe(keyIdOf(pem));
    const { signature: _s, ...unsigned } = doc;
    expect(signatureCheck(pem)(signingPayload(unsigned, doc.signature), Buffer.from(doc.signature.value, 'base64'))).toBe(true);
    expect(verifyAttestation(text, keyId, signatureCheck(pem))).toMatchObject({ ok: true, attestation: { employeeId: 'E100', complete: true } });
  });

  it('an attestation verified, then one byte changed (anywhere: any entry field, a hash, the signature) is refused', async () => {
    const { text, keyId, pem } = await signedFixture();
    const check = signatureCheck(pem);
    expect(verifyAttestation(text, keyId, check).ok).toBe(true);
    const accepted: string[] = [];
    for (let i = 0; i < text.length; i++) {
      for (const replacement of [text[i] === 'a' ? 'b' : 'a', text[i] === '0' ? '1' : '0']) {
        const changed = text.slice(0, i) + replacement + text.slice(i + 1);
        if (verifyAttestation(changed, keyId, check).ok) accepted.push(`byte ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 10), i + 10))}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('names the first entry that was changed', async () => {
    const { text, doc, keyId, pem } = await signedFixture();
    const note = doc.entries[1].readBack.change!;
    const changed = text.replace(note, note.replace('phone', 'fax!!'));
    expect(verifyAttestation(changed, keyId, signatureCheck(pem))).toEqual({ ok: false, entry: 2, problem: expect.stringContaining('entry 2 (run-term-1/forward-event): its hash does not match its content') });
    const rehashed = text.replace(doc.entries[2].hash, 'f'.repeat(64));
    expect(verifyAttestation(rehashed, keyId, signatureCheck(pem))).toMatchObject({ ok: false, entry: 3 });
  });

  it('refuses entries dropped with the chain and head recomputed: the signature covers what was signed', async () => {
    const { doc, keyId, pem } = await signedFixture();
    const dropped = { ...doc, entries: doc.entries.slice(0, 3) };
    // Rechained by hand: every hash holds, the head too, but the signature covers the original.
    dropped.head = dropped.entries.at(-1)!.hash;
    expect(verifyAttestation(canonicalJson(dropped), keyId, signatureCheck(pem))).toMatchObject({ ok: false, problem: expect.stringContaining('signature does not match') });
  });

  it('refuses a document re-signed with another key, even one whose public key comes with it', async () => {
    const attacker = LocalAttestationSigner.forDataDir(null);
    const { doc, keyId, pem } = await signedFixture();
    const forged = await signedFixture(attacker);
    const own = await attacker.publicKey();
    expect(verifyAttestation(forged.text, keyId, signatureCheck(pem))).toMatchObject({ ok: false, problem: expect.stringContaining(`signed with key ${own.keyId}, not the trusted key ${keyId}`) });
    // The forger's key id in place of theirs: the signature is then checked with the trusted key, and fails.
    const relabelled = canonicalJson({ ...forged.doc, signature: { ...forged.doc.signature, keyId } });
    expect(verifyAttestation(relabelled, keyId, signatureCheck(pem)).ok).toBe(false);
    expect(doc.signature.keyId).toBe(keyId);
  });

  it('refuses a file saved otherwise than as signed (pretty-printed, a newline added)', async () => {
    const { text, doc, keyId, pem } = await signedFixture();
    expect(verifyAttestation(JSON.stringify(doc, null, 2), keyId, signatureCheck(pem))).toMatchObject({ ok: false, problem: expect.stringContaining('changed after it was saved') });
    expect(verifyAttestation(`${text}\n`, keyId, signatureCheck(pem)).ok).toBe(false);
  });

  it('refuses a signature whose base64 decodes to the same bytes but is spelt otherwise', async () => {
    const { doc, keyId, pem } = await signedFixture();
    const value = doc.signature.value;
    const bytes = Buffer.from(value, 'base64');
    const body = value.replace(/=+$/, '');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const spellings = [body, ...[...alphabet].map((c) => `${body.slice(0, -1)}${c}${value.slice(body.length)}`)].filter((v) => v !== value && Buffer.from(v, 'base64').equals(bytes));
    for (const spelling of spellings) {
      expect(verifyAttestation(canonicalJson({ ...doc, signature: { ...doc.signature, value: spelling } }), keyId, signatureCheck(pem))).toMatchObject({ ok: false });
    }
  });
});

describe('LocalAttestationSigner', () => {
  it('keeps its private key in the data dir, mode 0600, and signs with the same key after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-'));
    const first = await LocalAttestationSigner.forDataDir(dir).publicKey();
    const file = join(dir, 'attestation-key.pem');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('PRIVATE KEY');
    expect(first.publicKeyPem).not.toContain('PRIVATE');
    expect((await LocalAttestationSigner.forDataDir(dir).publicKey()).keyId).toBe(first.keyId);
  });

  it('a P-256 key only: the key id is the SHA-256 of the public key DER', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const der = publicKey.export({ format: 'der', type: 'spki' });
    expect(keyIdOf(publicKey.export({ format: 'pem', type: 'spki' }).toString())).toBe(`sha256:${createHash('sha256').update(der).digest('hex')}`);
  });
});
