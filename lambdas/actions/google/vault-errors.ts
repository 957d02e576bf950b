/** What a Google Vault refusal tells an operator. */
import { googleErrorInfo, googleFailure } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';

/** A Vault refusal: 403 is the missing ediscovery scope or Vault privileges, which no retry mends. */
export function vaultFailure(err: unknown, doing: string): ProviderError {
  const info = googleErrorInfo(err);
  if (info.status !== 403) return googleFailure(err, doing);
  return new ProviderError(
    `${doing}: Google Vault refused (403 ${info.message}). The service account needs https://www.googleapis.com/auth/ediscovery in its ` +
      `domain-wide delegation and the admin it acts as needs the Vault privileges Manage Matters and Manage Holds (docs/google-scopes.md); then retry this step`,
    false,
    `403: ${info.message}`,
  );
}
