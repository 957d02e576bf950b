/**
 * The local adapter of AttestationSigner: an ECDSA P-256 key pair kept in the local data dir (the private key in a
 * file of mode 0600, made on first start), or in memory without one. Signs with node:crypto; the key is never logged.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toLowS } from '../../lambdas/attestation/ecdsa-der';
import { publicKeyInfo, type AttestationSigner, type PublicKeyInfo } from '../../lambdas/attestation/signer';

export const LOCAL_ATTESTATION_KEY_FILE = 'attestation-key.pem';

const newPrivateKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

export class LocalAttestationSigner implements AttestationSigner {
  private readonly info: PublicKeyInfo;

  constructor(private readonly privateKey: KeyObject) {
    this.info = publicKeyInfo(createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString());
  }

  /** The key at `<dataDir>/attestation-key.pem`, created (mode 0600) on first use; null keeps a fresh key in memory. */
  static forDataDir(dataDir: string | null): LocalAttestationSigner {
    if (dataDir === null) return new LocalAttestationSigner(newPrivateKey());
    const file = join(dataDir, LOCAL_ATTESTATION_KEY_FILE);
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      try {
        writeFileSync(file, newPrivateKey().export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        // Another process made it first: use theirs.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    chmodSync(file, 0o600);
    return new LocalAttestationSigner(createPrivateKey(readFileSync(file, 'utf8')));
  }

  async publicKey(): Promise<PublicKeyInfo> {
    return this.info;
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    // OpenSSL gives either of the two valid forms; the low-S one goes in the document.
    return toLowS(sign('sha256', Buffer.from(message), this.privateKey));
  }
}
