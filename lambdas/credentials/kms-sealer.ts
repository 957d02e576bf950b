/** The AWS adapter of PasswordSealer: KMS Encrypt/Decrypt on the credential key, with the employee id as encryption context. */
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { PasswordSealer, SealContext } from './password-sealer';

const PREFIX = 'kms:';

export class KmsPasswordSealer implements PasswordSealer {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async seal(plaintext: string, context: SealContext): Promise<string> {
    const out = await this.kms.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: Buffer.from(plaintext, 'utf8'), EncryptionContext: { employeeId: context.employeeId } }),
    );
    if (!out.CiphertextBlob) throw new Error('KMS Encrypt answered no ciphertext');
    return PREFIX + Buffer.from(out.CiphertextBlob).toString('base64');
  }

  async open(ciphertext: string, context: SealContext): Promise<string> {
    if (!ciphertext.startsWith(PREFIX)) throw new Error('not a KMS-sealed ciphertext');
    const out = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(ciphertext.slice(PREFIX.length), 'base64'),
        EncryptionContext: { employeeId: context.employeeId },
      }),
    );
    if (!out.Plaintext) throw new Error('KMS Decrypt answered no plaintext');
    return Buffer.from(out.Plaintext).toString('utf8');
  }
}
