/** The attestation signer of the API Lambda, from its environment: KMS on the key the stack names; built on first use. */
import { KMSClient } from '@aws-sdk/client-kms';
import { ENV, requireEnv } from '../shared/env-names';
import { KmsAttestationSigner } from './kms-signer';
import type { AttestationSigner } from './signer';

export function kmsAttestationSignerFromEnv(): () => AttestationSigner {
  let signer: AttestationSigner | undefined;
  return () => (signer ??= new KmsAttestationSigner(new KMSClient({}), requireEnv(ENV.attestationKeyArn)));
}
