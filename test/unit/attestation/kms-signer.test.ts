/** The KMS adapter of the attestation signer on the real SDK client, KMS answered by aws-sdk-client-mock signing with a real P-256 key. */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsAttestationSigner } from '../../../lambdas/attestation/kms-signer';
import { keyIdOf, signatureCheck } from '../../../lambdas/attestation/signer';
import { encodeEcdsaDer, isLowS, P256_ORDER, parseEcdsaDer } from '../../../lambdas/attestation/ecdsa-der';
import { recording, type SentCommand } from '../../support/recording-client';

const KEY_ARN = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** KMS as the key holder: GetPublicKey answers the DER public key; Sign signs the message the test names, once the digest sent is its SHA-256. */
function kmsWithKey(keySpec = 'ECC_NIST_P256', form: 'as-signed' | 'high-s' = 'as-signed') {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const messages = new Map<string, Buffer>();
  const kms = recording(KMSClient, ({ input }: SentCommand) => {
    const request = input as { Message?: Uint8Array; MessageType?: string; SigningAlgorithm?: string };
    if (request.Message === undefined) {
      return { KeyId: KEY_ARN, PublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })), KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] };
    }
    // A digest KMS can sign: only the SHA-256 of a message the test is signing.
    const message = messages.get(Buffer.from(request.Message).toString('hex'));
    if (!message || request.MessageType !== 'DIGEST' || request.SigningAlgorithm !== 'ECDSA_SHA_256') {
      throw Object.assign(new Error('ValidationException'), { name: 'ValidationException' });
    }
    const der = sign('sha256', message, privateKey);
    // KMS may answer either valid form: the high one, when the test asks for it.
    const { r, s } = parseEcdsaDer(der)!;
    const answered = form === 'high-s' && s <= P256_ORDER / 2n ? encodeEcdsaDer(r, P256_ORDER - s) : der;
    return { KeyId: KEY_ARN, Signature: new Uint8Array(answered), SigningAlgorithm: 'ECDSA_SHA_256' };
  });
  const expect = (message: Buffer) => messages.set(createHash('sha256').update(message).digest('hex'), message);
  return { kms, publicKey, expect };
}

describe('KmsAttestationSigner', () => {
  it('signs the SHA-256 digest of the message on the attestation key; the signature checks against the public key KMS gives', async () => {
    const { kms, expect: willSign, publicKey } = kmsWithKey();
    const signer = new KmsAttestationSigner(kms.client, KEY_ARN);
    const message = Buffer.from('{"employeeId":"E100","head":"abc"}', 'utf8');
    willSign(message);
    const signature = await signer.sign(message);
    const key = await signer.publicKey();
    expect(key.keyId).toBe(keyIdOf(publicKey.export({ format: 'pem', type: 'spki' }).toString()));
    expect(key.publicKeyPem).toContain('-----BEGIN PUBLIC KEY-----');
    expect(signatureCheck(key.publicKeyPem)(message.toString('utf8'), signature)).toBe(true);
    expect(signatureCheck(key.publicKeyPem)('{"employeeId":"E101","head":"abc"}', signature)).toBe(false);
    const [signed] = kms.sent;
    expect(signed.input).toEqual({ KeyId: KEY_ARN, Message: createHash('sha256').update(message).digest(), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
  });

  it('turns a high-S signature KMS answers into its low-S form before it goes in a document', async () => {
    const { kms, expect: willSign } = kmsWithKey('ECC_NIST_P256', 'high-s');
    const signer = new KmsAttestationSigner(kms.client, KEY_ARN);
    const message = Buffer.from('{"employeeId":"E100"}', 'utf8');
    willSign(message);
    const signature = await signer.sign(message);
    expect(isLowS(signature)).toBe(true);
    expect(signatureCheck((await signer.publicKey()).publicKeyPem)(message.toString('utf8'), signature)).toBe(true);
  });

  it('reads the public key once per container', async () => {
    const { kms } = kmsWithKey();
    const signer = new KmsAttestationSigner(kms.client, KEY_ARN);
    await signer.publicKey();
    await signer.publicKey();
    expect(kms.sent.map((c) => c.input)).toEqual([{ KeyId: KEY_ARN }]);
  });

  it('refuses a key that is not an ECC_NIST_P256 signing key, and reads again after a failure', async () => {
    const { kms } = kmsWithKey('RSA_2048');
    const signer = new KmsAttestationSigner(kms.client, KEY_ARN);
    await expect(signer.publicKey()).rejects.toThrow('must be ECC_NIST_P256 for SIGN_VERIFY, KMS says RSA_2048');
    await expect(signer.publicKey()).rejects.toThrow('RSA_2048');
    expect(kms.sent).toHaveLength(2);
  });

  it('passes on what KMS refuses', async () => {
    const { kms } = kmsWithKey();
    const signer = new KmsAttestationSigner(kms.client, KEY_ARN);
    await expect(signer.sign(Buffer.from('not expected'))).rejects.toThrow('ValidationException');
  });
});
