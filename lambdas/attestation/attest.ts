/** The attestation use case: an employee's termination runs and audit trail read from the store, chained and signed. */
import type { EngineDeps } from '../engine/ports';
import { buildAttestation, signingPayload, type Attestation } from './attestation';
import type { AttestationSigner } from './signer';

export type AttestationOutcome = { outcome: 'signed'; attestation: Attestation } | { outcome: 'not_found'; message: string };

/** The terminate playbook's cut-off steps: what must have settled before the record is complete. */
export const cutoffStepIds = (playbooks: EngineDeps['playbooks']): Set<string> => new Set(playbooks.terminate.steps.filter((s) => s.cutoff).map((s) => s.id));

/** Built from the current state on each request; `complete` says whether every cut-off step has settled yet. */
export async function attestEmployee(deps: Pick<EngineDeps, 'store' | 'clock' | 'playbooks'>, signer: AttestationSigner, employeeId: string): Promise<AttestationOutcome> {
  const [employee, runs, audit] = await Promise.all([deps.store.getEmployee(employeeId), deps.store.listRuns(employeeId), deps.store.listAudit(employeeId)]);
  if (!employee && runs.length === 0) return { outcome: 'not_found', message: `employee ${employeeId} not found` };
  const unsigned = buildAttestation({ employeeId, runs, audit, cutoffStepIds: cutoffStepIds(deps.playbooks), generatedAt: deps.clock.now().toISOString() });
  if (!unsigned) return { outcome: 'not_found', message: `employee ${employeeId} has no leaver run: there is no offboarding to attest` };
  const key = await signer.publicKey();
  const block = { algorithm: key.algorithm, keyId: key.keyId };
  const der = await signer.sign(Buffer.from(signingPayload(unsigned, block), 'utf8'));
  return { outcome: 'signed', attestation: { ...unsigned, signature: { ...block, value: Buffer.from(der).toString('base64') } } };
}
