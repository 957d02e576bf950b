/**
 * The AWS adapter of AttestationSigner: KMS Sign on an ECC_NIST_P256 SIGN_VERIFY key, the private key never leaving
 * KMS. The message is hashed here and sent as a DIGEST (KMS takes at most 4096 bytes RAW), which KMS signs as it would
 * sign the message under ECDSA_SHA_256; GetPublicKey is read once per container.
 */
import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { SIGNING_ALGORITHM } from './attestation';
import { toLowS } from './ecdsa-der';
import { publicKeyInfo, type AttestationSigner, type PublicKeyInfo } from './signer';

export class KmsAttestationSigner implements AttestationSigner {
  private key?: Promise<PublicKeyInfo>;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  publicKey(): Promise<PublicKeyInfo> {
    this.key ??= this.readPublicKey().catch((err: unknown) => {
      // A failed read is tried again on the next call, not remembered.
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  private async readPublicKey(): Promise<PublicKeyInfo> {
    const out = await this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
    if (!out.PublicKey) throw new Error('KMS GetPublicKey answered no public key');
    if (out.KeySpec !== 'ECC_NIST_P256' || out.KeyUsage !== 'SIGN_VERIFY') {
      throw new Error(`the attestation key must be ECC_NIST_P256 for SIGN_VERIFY, KMS says ${out.KeySpec} for ${out.KeyUsage}`);
    }
    return publicKeyInfo(out.PublicKey);
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    const digest = createHash('sha256').update(message).digest();
    const out = await this.kms.send(new SignCommand({ KeyId: this.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: SIGNING_ALGORITHM }));
    if (!out.Signature) throw new Error('KMS Sign answered no signature');
    // KMS answers either of the two valid forms; the low-S one goes in the document.
    return toLowS(out.Signature);
  }
}
