/** The local adapter of PasswordSealer: AES-256-GCM with a key kept in the local data dir (mode 0600), or in memory. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PasswordSealer, SealContext } from '../../lambdas/credentials/password-sealer';

const PREFIX = 'aesgcm1:';
export const LOCAL_KEY_FILE = 'credential-key';

/** The context is the additional authenticated data: a ciphertext sealed for one employee fails to open for another. */
const aad = (context: SealContext) => Buffer.from(JSON.stringify({ employeeId: context.employeeId }), 'utf8');

export class LocalPasswordSealer implements PasswordSealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the local credential key must be 32 bytes (AES-256)');
  }

  /** The key at `<dataDir>/credential-key`, created (mode 0600) on first use; null keeps a fresh key in memory. */
  static forDataDir(dataDir: string | null): LocalPasswordSealer {
    if (dataDir === null) return new LocalPasswordSealer(randomBytes(32));
    const file = join(dataDir, LOCAL_KEY_FILE);
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    // A key file from an older copy may have been made with a looser umask.
    chmodSync(file, 0o600);
    return new LocalPasswordSealer(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  async seal(plaintext: string, context: SealContext): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  async open(ciphertext: string, context: SealContext): Promise<string> {
    const parts = ciphertext.startsWith(PREFIX) ? ciphertext.slice(PREFIX.length).split('.') : [];
    if (parts.length !== 3) throw new Error('not a locally sealed ciphertext');
    const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(aad(context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the ciphertext does not open with this key and context');
    }
  }
}
