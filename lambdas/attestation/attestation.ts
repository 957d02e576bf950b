/**
 * The offboarding attestation of one leaver, pure: every step of their termination runs as a chained record (each entry
 * holds the hash of the one before), the payload a signature covers, and the offline check of a saved file.
 */
import * as z from '../shared/zod';
import { sha256Hex } from '../shared/sha256';
import { FINAL_STEP_STATUSES, REHIRE_CANCEL, type AuditEntry, type Run, type Step } from '../engine/model';
import { canonicalJson, isCanonical } from './canonical-json';
import { isLowS } from './ecdsa-der';
import { redactReadBack } from './redaction';

/** v2: a skipped or cancelled cut-off step no longer counts as done (`outcome`, `notDone`), and personal contact data is masked. */
export const ATTESTATION_FORMAT = 'account-lifecycle/offboarding-attestation/v2';
/** ECDSA on NIST P-256 over SHA-256, as KMS names it (an ECC_NIST_P256 SIGN_VERIFY key). Signatures are DER, base64. */
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';

/** What a step recorded when it settled: what the provider was read back to say, the account it acted on, the audit trail's words. */
export interface ReadBack {
  note?: string;
  providerAnswer?: string;
  result?: Record<string, unknown>;
  account?: Record<string, unknown>;
  error?: string;
  /** The audit trail's words for the change that settled the step (a skip's reason is there). */
  change?: string;
}

export interface AttestationEntry {
  /** 1, 2, …: the order of the chain. */
  seq: number;
  runId: string;
  stepId: string;
  action: string;
  /** A cut-off step of the terminate playbook: the access taken away at the cut-off. */
  cutoff: boolean;
  status: string;
  /** When the step was planned to run. */
  dueAt: string;
  /** When it settled (succeeded, was skipped or cancelled); null while it has not. */
  at: string | null;
  /** Who settled it: the action that ran it for the system, the operator who skipped it, who cancelled the run. */
  actor: string | null;
  /** The operators who queued it again after it needed attention (a retry, an account confirmation). */
  retriedBy: string[];
  readBack: ReadBack;
  /** The hash of the entry before; for the first entry, the hash of the document's header (format, employee, runs). */
  prevHash: string;
  /** SHA-256 (hex) of the entry's canonical JSON without this field. */
  hash: string;
}

export interface AttestedRun {
  runId: string;
  eventId: string;
  status: string;
  effectiveDate: string;
  urgent: boolean;
  createdAt: string;
  /** Who sent the leaver event, when a person did from the console (absent: the HR system). */
  sentBy?: string;
}

export interface UnsettledStep {
  runId: string;
  stepId: string;
  action: string;
  status: string;
}

/** A cut-off step that settled without being done: skipped by an operator, or cancelled while the termination went on. */
export interface NotDoneStep extends UnsettledStep {
  /** When it was skipped or cancelled. */
  at: string | null;
  /** Who skipped or cancelled it, from the audit trail. */
  by: string | null;
  /** The reason they gave, from the audit trail (null when none was given). */
  reason: string | null;
}

/**
 * What the record says of the termination as a whole:
 * - `complete`: every cut-off step of every termination in force succeeded;
 * - `incomplete`: a cut-off step was skipped or cancelled (listed in `notDone`): the leaver was not fully cut off;
 * - `provisional`: nothing was left undone, but a cut-off step has not settled yet (listed in `unsettled`);
 * - `cancelled`: every termination run was cancelled or rejected: the person is not leaving.
 */
export type AttestationOutcome = 'complete' | 'incomplete' | 'provisional' | 'cancelled';
export const ATTESTATION_OUTCOMES: readonly AttestationOutcome[] = ['complete', 'incomplete', 'provisional', 'cancelled'];

export interface UnsignedAttestation {
  format: typeof ATTESTATION_FORMAT;
  employeeId: string;
  generatedAt: string;
  /** True only when `outcome` is `complete`. */
  complete: boolean;
  outcome: AttestationOutcome;
  /** The cut-off steps of the terminations in force not settled yet. */
  unsettled: UnsettledStep[];
  /** The cut-off steps of the terminations in force skipped or cancelled: not done. */
  notDone: NotDoneStep[];
  runs: AttestedRun[];
  entries: AttestationEntry[];
  /** The hash of the last entry (of the header when there is none): the chain's head. */
  head: string;
}

export interface SignatureBlock {
  algorithm: typeof SIGNING_ALGORITHM;
  /** `sha256:<hex>` of the public key's DER (SubjectPublicKeyInfo): computable offline from the PEM. */
  keyId: string;
  /** The DER signature, base64. */
  value: string;
}

export type Attestation = UnsignedAttestation & { signature: SignatureBlock };

const SETTLED: readonly string[] = FINAL_STEP_STATUSES;
export const isSettled = (status: string): boolean => SETTLED.includes(status);

/** A run HR or an operator called off: its steps do not count for or against the record. */
const ENDED_WITHOUT_LEAVING: readonly string[] = ['cancelled', 'rejected'];

/**
 * A cut-off step: one the terminate playbook marks `cutoff`, or a revocation a leaver's role adds (planned from the
 * role to remove a grant, due at the cut-off with the playbook's).
 */
export const isCutoffStep = (run: Pick<Run, 'type'>, step: Pick<Step, 'stepId' | 'fromRole' | 'removes'>, cutoffStepIds: ReadonlySet<string>): boolean =>
  cutoffStepIds.has(step.stepId) || (run.type === 'terminate' && step.fromRole === true && step.removes === true);

/** The employee's termination runs, oldest first: what an attestation covers. */
export const leaverRuns = (runs: readonly Run[]): Run[] => runs.filter((r) => r.type === 'terminate').sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.runId.localeCompare(b.runId));

const sha256 = (value: unknown) => sha256Hex(canonicalJson(value));

/** The hash the first entry points back to: the document's header, so the chain is bound to this employee and these runs. */
export const headerHash = (doc: Pick<UnsignedAttestation, 'format' | 'employeeId' | 'runs'>): string => sha256({ format: doc.format, employeeId: doc.employeeId, runs: doc.runs });

export const entryHash = (entry: Omit<AttestationEntry, 'hash'> & { hash?: string }): string => {
  const { hash: _h, ...rest } = entry;
  return sha256(rest);
};

/**
 * The audit entry that settled a step: the last one that moved it to its status. A run's cancel or rejection (its plan,
 * or in quarantine) names no step: the run-level entry that ended the run settled its steps.
 */
function settledBy(run: Run, step: Step, audit: readonly AuditEntry[]): AuditEntry | undefined {
  const own = audit.filter((a) => a.runId === run.runId && a.stepId === step.stepId && a.to === step.status);
  if (own.length) return own.at(-1);
  const ends = step.status === 'cancelled' ? ['cancelled', 'rejected'] : [step.status];
  return audit.filter((a) => a.runId === run.runId && a.stepId === undefined && a.to !== undefined && ends.includes(a.to)).at(-1);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const record = (value: unknown): Record<string, unknown> | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

function readBackOf(step: Step, settled: AuditEntry | undefined): ReadBack {
  const detail = settled?.detail ?? {};
  return redactReadBack(step.action, {
    ...(step.note ? { note: step.note } : {}),
    ...(text(detail.providerAnswer) ? { providerAnswer: text(detail.providerAnswer) } : step.lastError?.providerAnswer ? { providerAnswer: step.lastError.providerAnswer } : {}),
    ...(step.result && Object.keys(step.result).length ? { result: step.result } : record(detail.result) ? { result: record(detail.result) } : {}),
    ...(step.account ? { account: { ...step.account } } : {}),
    ...(step.lastError && !isSettled(step.status) ? { error: step.lastError.message } : {}),
    ...(settled?.change ? { change: settled.change } : {}),
  });
}

function entriesOf(run: Run, audit: readonly AuditEntry[], cutoffStepIds: ReadonlySet<string>): Omit<AttestationEntry, 'seq' | 'prevHash' | 'hash'>[] {
  const planOrder = new Map(run.steps.map((s, i) => [s.stepId, i]));
  const settledFirst = [...run.steps].sort((a, b) => {
    const sa = isSettled(a.status) && a.finishedAt;
    const sb = isSettled(b.status) && b.finishedAt;
    if (sa && sb) return a.finishedAt!.localeCompare(b.finishedAt!) || planOrder.get(a.stepId)! - planOrder.get(b.stepId)!;
    if (sa) return -1;
    if (sb) return 1;
    return planOrder.get(a.stepId)! - planOrder.get(b.stepId)!;
  });
  return settledFirst.map((step) => {
    const done = isSettled(step.status) && step.finishedAt !== undefined;
    const settled = done ? settledBy(run, step, audit) : undefined;
    const retriedBy = audit.filter((a) => a.runId === run.runId && a.stepId === step.stepId && a.from === 'needs_attention' && a.to === 'queued').map((a) => a.actor);
    return {
      runId: run.runId,
      stepId: step.stepId,
      action: step.action,
      cutoff: isCutoffStep(run, step, cutoffStepIds),
      status: step.status,
      dueAt: step.dueAt,
      at: done ? step.finishedAt! : null,
      actor: done ? (settled?.actor ?? null) : null,
      retriedBy: [...new Set(retriedBy)],
      readBack: readBackOf(step, settled),
    };
  });
}

export interface AttestationInput {
  employeeId: string;
  /** The employee's runs (any type: only terminations are attested). */
  runs: readonly Run[];
  /** The employee's audit trail. */
  audit: readonly AuditEntry[];
  /** The terminate playbook's cut-off step ids. */
  cutoffStepIds: ReadonlySet<string>;
  generatedAt: string;
}

/** The record, chained and not yet signed; undefined when the employee has no termination run. */
export function buildAttestation(input: AttestationInput): UnsignedAttestation | undefined {
  const runs = leaverRuns(input.runs);
  if (!runs.length) return undefined;
  const attestedRuns: AttestedRun[] = runs.map((r) => ({
    runId: r.runId,
    eventId: r.eventId,
    status: r.status,
    effectiveDate: r.effectiveDate,
    urgent: r.urgent,
    createdAt: r.createdAt,
    ...(r.sentBy ? { sentBy: r.sentBy } : {}),
  }));
  const header: Pick<UnsignedAttestation, 'format' | 'employeeId' | 'runs'> = { format: ATTESTATION_FORMAT, employeeId: input.employeeId, runs: attestedRuns };
  let prevHash = headerHash(header);
  const entries: AttestationEntry[] = [];
  for (const run of runs) {
    for (const body of entriesOf(run, input.audit, input.cutoffStepIds)) {
      const unhashed = { seq: entries.length + 1, ...body, prevHash };
      const hash = entryHash(unhashed);
      entries.push({ ...unhashed, hash });
      prevHash = hash;
    }
  }
  // A rehire cancels what is left of the termination (its suspension, the licenses), not the leaving that happened.
  const rehired = new Set(input.audit.filter((a) => a.stepId === undefined && a.change.startsWith(REHIRE_CANCEL)).map((a) => a.runId));
  const inForce = new Set(runs.filter((r) => !ENDED_WITHOUT_LEAVING.includes(r.status) || rehired.has(r.runId)).map((r) => r.runId));
  const counted = entries.filter((e) => e.cutoff && inForce.has(e.runId));
  const unsettled = counted.filter((e) => !isSettled(e.status)).map(({ runId, stepId, action, status }) => ({ runId, stepId, action, status }));
  const notDone = counted.filter((e) => e.status === 'skipped' || e.status === 'cancelled').map((e) => ({ runId: e.runId, stepId: e.stepId, action: e.action, status: e.status, at: e.at, by: e.actor, reason: reasonOf(e.readBack.change) }));
  const outcome: AttestationOutcome = inForce.size === 0 ? 'cancelled' : notDone.length ? 'incomplete' : unsettled.length ? 'provisional' : 'complete';
  return { ...header, generatedAt: input.generatedAt, complete: outcome === 'complete', outcome, unsettled, notDone, entries, head: prevHash };
}

/** The reason an operator gave for skipping or cancelling, from the audit trail's words for it. */
function reasonOf(change: string | undefined): string | null {
  if (!change) return null;
  const given = /^step (?:skipped|cancelled) by an operator(?:: (.*))?$/s.exec(change);
  return given ? (given[1] ?? null) : change;
}

/** The exact text a signature covers: the canonical document with the signature's algorithm and key id, without its value. */
export function signingPayload(doc: UnsignedAttestation, key: Pick<SignatureBlock, 'algorithm' | 'keyId'>): string {
  return canonicalJson({ ...doc, signature: { algorithm: key.algorithm, keyId: key.keyId } });
}

/** The file an auditor keeps: the signed document in canonical form. */
export const attestationText = (doc: Attestation): string => canonicalJson(doc);

// ---- The offline check of a saved attestation ----

const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'));
const entrySchema = z.strictObject({
  seq: z.int(),
  runId: z.string(),
  stepId: z.string(),
  action: z.string(),
  cutoff: z.boolean(),
  status: z.string(),
  dueAt: z.string(),
  at: z.nullable(z.string()),
  actor: z.nullable(z.string()),
  retriedBy: z.array(z.string()),
  readBack: z.record(z.string(), z.unknown()),
  prevHash: hex64,
  hash: hex64,
});
const documentSchema = z.strictObject({
  format: z.literal(ATTESTATION_FORMAT),
  employeeId: z.string(),
  generatedAt: z.string(),
  complete: z.boolean(),
  outcome: z.enum(ATTESTATION_OUTCOMES as [AttestationOutcome, ...AttestationOutcome[]]),
  unsettled: z.array(z.strictObject({ runId: z.string(), stepId: z.string(), action: z.string(), status: z.string() })),
  notDone: z.array(
    z.strictObject({ runId: z.string(), stepId: z.string(), action: z.string(), status: z.string(), at: z.nullable(z.string()), by: z.nullable(z.string()), reason: z.nullable(z.string()) }),
  ),
  runs: z.array(
    z.strictObject({
      runId: z.string(),
      eventId: z.string(),
      status: z.string(),
      effectiveDate: z.string(),
      urgent: z.boolean(),
      createdAt: z.string(),
      sentBy: z.optional(z.string()),
    }),
  ),
  entries: z.array(entrySchema),
  head: hex64,
  signature: z.strictObject({ algorithm: z.literal(SIGNING_ALGORITHM), keyId: z.string(), value: z.string() }),
});

/** Checks a signature over the payload with the trusted public key (node:crypto in the CLI; any ECDSA P-256 verifier). */
export type SignatureCheck = (payload: string, signatureDer: Uint8Array) => boolean;

export type Verdict =
  | { ok: true; attestation: Attestation }
  | {
      ok: false;
      /** What is wrong, first problem found. */
      problem: string;
      /** The first entry that does not hold (its seq), when the problem is in an entry. */
      entry?: number;
    };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The DER bytes of a base64 signature, or undefined unless the text is exactly the standard encoding of them. */
function strictBase64(value: string): Uint8Array | undefined {
  if (!value || !BASE64.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  // Unused low bits in the last character would let two texts decode to the same bytes.
  return bytes.toString('base64') === value ? bytes : undefined;
}

/**
 * Checks a saved attestation offline: the file must be the canonical JSON of a document of this format, byte for byte;
 * every entry's hash its content's, each entry's prevHash the hash before it (the first: the header's), the head the
 * last hash, the signature made by the trusted key (its key id named, not taken from the file) over the document.
 */
export function verifyAttestation(fileText: string, trustedKeyId: string, checkSignature: SignatureCheck): Verdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fileText);
  } catch (err) {
    return { ok: false, problem: `the file is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const shape = documentSchema.safeParse(parsed);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const path = issue.path.map(String);
    const entry = path[0] === 'entries' && path.length > 1 ? Number(path[1]) + 1 : undefined;
    return { ok: false, problem: `not an attestation of format ${ATTESTATION_FORMAT}: ${path.join('.') || '(document)'}: ${issue.message}`, ...(entry ? { entry } : {}) };
  }
  const doc = shape.data as Attestation;
  let prevHash = headerHash(doc);
  for (const [i, entry] of doc.entries.entries()) {
    const name = `entry ${i + 1} (${entry.runId}/${entry.stepId})`;
    if (entry.seq !== i + 1) return { ok: false, problem: `${name}: seq is ${entry.seq}, expected ${i + 1}`, entry: i + 1 };
    if (entry.prevHash !== prevHash) return { ok: false, problem: `${name}: prevHash does not match the ${i === 0 ? "header's hash" : 'hash of entry ' + i}: the chain is broken here`, entry: i + 1 };
    if (entryHash(entry) !== entry.hash) return { ok: false, problem: `${name}: its hash does not match its content: it was changed`, entry: i + 1 };
    prevHash = entry.hash;
  }
  if (doc.head !== prevHash) return { ok: false, problem: `head ${doc.head} is not the hash of the last entry (${prevHash})` };
  if (doc.signature.keyId !== trustedKeyId) {
    return { ok: false, problem: `signed with key ${doc.signature.keyId}, not the trusted key ${trustedKeyId}: get the public key from the system that signs, not from the file` };
  }
  const der = strictBase64(doc.signature.value);
  // s and n - s both verify: only the low one is accepted, so a signature has one form and the file one text.
  if (der && !isLowS(der)) return { ok: false, problem: 'the signature is not in its low-S form (s > n/2): it was changed after signing' };
  const { signature: _s, ...unsigned } = doc;
  if (!der || !checkSignature(signingPayload(unsigned, doc.signature), der)) return { ok: false, problem: 'the signature does not match the document: it was changed after signing, or not signed by this key' };
  const canonical = isCanonical(fileText);
  if (!canonical.ok) return { ok: false, problem: `the file was changed after it was saved: it is ${canonical.reason}` };
  return { ok: true, attestation: doc };
}
