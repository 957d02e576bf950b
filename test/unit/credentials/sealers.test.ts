/** Sealing initial passwords: the local AES-256-GCM sealer (and its key file), and the KMS adapter's calls. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { KmsPasswordSealer } from '../../../lambdas/credentials/kms-sealer';
import { LOCAL_KEY_FILE, LocalPasswordSealer } from '../../../local/credentials/local-sealer';
import { tempDir } from '../../support/harness';

const ada = { employeeId: 'E1001' };

describe('LocalPasswordSealer', () => {
  it('opens what it sealed, for the same employee only', async () => {
    const sealer = LocalPasswordSealer.forDataDir(null);
    const sealed = await sealer.seal('Initial-Pa55!', ada);
    expect(sealed).not.toContain('Initial-Pa55!');
    expect(await sealer.open(sealed, ada)).toBe('Initial-Pa55!');
    await expect(sealer.open(sealed, { employeeId: 'E1002' })).rejects.toThrow('does not open');
  });

  it('seals the same password differently each time (a fresh IV)', async () => {
    const sealer = LocalPasswordSealer.forDataDir(null);
    expect(await sealer.seal('same', ada)).not.toBe(await sealer.seal('same', ada));
  });

  it('refuses a tampered ciphertext and one from another key', async () => {
    const sealer = LocalPasswordSealer.forDataDir(null);
    const sealed = await sealer.seal('Initial-Pa55!', ada);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    await expect(sealer.open(tampered, ada)).rejects.toThrow();
    await expect(LocalPasswordSealer.forDataDir(null).open(sealed, ada)).rejects.toThrow('does not open');
    await expect(sealer.open('kms:AAAA', ada)).rejects.toThrow('not a locally sealed ciphertext');
  });

  it('keeps its key in the data dir, readable by the owner only, and opens after a restart', async () => {
    const dir = tempDir('vault-');
    const sealed = await LocalPasswordSealer.forDataDir(dir).seal('Initial-Pa55!', ada);
    const file = join(dir, LOCAL_KEY_FILE);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('Initial-Pa55!');
    expect(await LocalPasswordSealer.forDataDir(dir).open(sealed, ada)).toBe('Initial-Pa55!');
  });
});

describe('KmsPasswordSealer', () => {
  /** A KMS stand-in that "encrypts" by reversing bytes and checks the context like KMS does. */
  const fakeKms = () => {
    const calls: unknown[] = [];
    const client = {
      send: async (command: EncryptCommand | DecryptCommand) => {
        calls.push(command.input);
        if (command instanceof EncryptCommand) {
          const body = Buffer.from(command.input.Plaintext as Uint8Array).reverse();
          return { CiphertextBlob: Buffer.concat([Buffer.from(`${command.input.EncryptionContext?.employeeId}|`), body]) };
        }
        const blob = Buffer.from(command.input.CiphertextBlob as Uint8Array);
        const bar = blob.indexOf('|');
        if (blob.subarray(0, bar).toString() !== command.input.EncryptionContext?.employeeId) {
          throw Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' });
        }
        return { Plaintext: blob.subarray(bar + 1).reverse() };
      },
    };
    return { client: client as unknown as KMSClient, calls };
  };

  it('encrypts and decrypts on the credential key with the employee id as encryption context', async () => {
    const kms = fakeKms();
    const sealer = new KmsPasswordSealer(kms.client, 'arn:aws:kms:eu-west-1:111122223333:key/abc');
    const sealed = await sealer.seal('Initial-Pa55!', ada);
    expect(sealed).toMatch(/^kms:/);
    expect(await sealer.open(sealed, ada)).toBe('Initial-Pa55!');
    expect(kms.calls).toEqual([
      expect.objectContaining({ KeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc', EncryptionContext: { employeeId: 'E1001' } }),
      expect.objectContaining({ KeyId: 'arn:aws:kms:eu-west-1:111122223333:key/abc', EncryptionContext: { employeeId: 'E1001' } }),
    ]);
    await expect(sealer.open(sealed, { employeeId: 'E1002' })).rejects.toThrow('InvalidCiphertextException');
    await expect(sealer.open('aesgcm1:a.b.c', ada)).rejects.toThrow('not a KMS-sealed ciphertext');
  });
});
