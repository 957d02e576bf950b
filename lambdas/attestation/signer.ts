/**
 * The attestation signer's port (one key only the system holds: KMS on AWS, a key file under `npm start`), the key id
 * both derive from the public key, and the ECDSA P-256 check an auditor runs offline.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { SIGNING_ALGORITHM } from './attestation';

export interface PublicKeyInfo {
  /** `sha256:<hex>` of the key's DER SubjectPublicKeyInfo. */
  keyId: string;
  algorithm: typeof SIGNING_ALGORITHM;
  /** The SubjectPublicKeyInfo as PEM. */
  publicKeyPem: string;
}

export interface AttestationSigner {
  publicKey(): Promise<PublicKeyInfo>;
  /** An ECDSA P-256 SHA-256 signature over the message's bytes, DER encoded, in its low-S form (s <= n/2). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** The key id of a public key: what an auditor computes from the PEM they trust and compares with the file's. */
export function keyIdOf(publicKey: string | Uint8Array): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
  const der = key.export({ format: 'der', type: 'spki' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** The PEM and key id of a public key given as PEM or DER; refuses a key that is not EC P-256. */
export function publicKeyInfo(publicKey: string | Uint8Array): PublicKeyInfo {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`the attestation key must be an EC P-256 key, not ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim());
  }
  return { keyId: keyIdOf(publicKey), algorithm: SIGNING_ALGORITHM, publicKeyPem: key.export({ format: 'pem', type: 'spki' }).toString() };
}

/** Checks an ECDSA P-256 SHA-256 DER signature over `payload` (UTF-8) with the public key. */
export function signatureCheck(publicKeyPem: string): (payload: string, signatureDer: Uint8Array) => boolean {
  const key = createPublicKey(publicKeyPem);
  return (payload, signatureDer) => {
    try {
      return verify('sha256', Buffer.from(payload, 'utf8'), key, Buffer.from(signatureDer));
    } catch {
      return false;
    }
  };
}
