/** The credential vault of a Lambda, from its environment: KMS sealer, the lifecycle table. */
import { KMSClient } from '@aws-sdk/client-kms';
import { ENV, requireEnv } from '../shared/env-names';
import { createDocumentClient, DynamoStore } from '../store/dynamo-store';
import { KmsPasswordSealer } from './kms-sealer';
import type { PasswordSealer } from './password-sealer';
import type { CredentialVault } from './vault';

/** The KMS sealer on the credential key the stack names; built on first use. */
export function kmsSealerFromEnv(): () => PasswordSealer {
  let sealer: PasswordSealer | undefined;
  return () => (sealer ??= new KmsPasswordSealer(new KMSClient({}), requireEnv(ENV.credentialKeyArn)));
}

/** `seal`: the function seals passwords (KMS Encrypt); otherwise it only reads and updates credential records. */
export function credentialsFromEnv(options: { seal: boolean }): () => CredentialVault {
  let vault: CredentialVault | undefined;
  const sealer = kmsSealerFromEnv();
  return () =>
    (vault ??= {
      store: new DynamoStore(createDocumentClient(), requireEnv(ENV.tableName)),
      sealer: options.seal ? sealer() : undefined,
    });
}
