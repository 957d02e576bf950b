/**
 * Google's OAuth token endpoint (`POST /token`, as at https://oauth2.googleapis.com/token) for service accounts with
 * domain-wide delegation: a signed JWT asking to act as a user with some scopes is exchanged for an access token only
 * when the key is the account's, the user exists and the tenant's admin has delegated every scope asked for. The
 * refusals carry Google's own error codes and descriptions, so a missing delegation looks locally as it does live.
 */
import { createVerify, generateKeyPairSync, randomInt, type KeyObject } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';
import { localAccessToken } from '../../credentials/google-local-token';

/** The `aud` Google requires in the assertion. */
const TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** A service account's JSON key, as the Google Cloud console downloads it (the fields the clients read). */
export interface EmulatedServiceAccountKey {
  type: 'service_account';
  client_email: string;
  client_id: string;
  private_key: string;
}

interface ServiceAccount {
  clientId: string;
  publicKey: KeyObject;
}

const oauthError = (status: number, error: string, description: string): EmulatorResponse => ({ status, body: { error, error_description: description } });

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The tenant's service accounts and its domain-wide delegation page (Admin console > Security > API controls). */
export class DomainWideDelegation {
  private readonly accounts = new Map<string, ServiceAccount>();
  private readonly grants = new Map<string, Set<string>>();

  constructor(
    private readonly userExists: (email: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a service account with a fresh key pair and answers its JSON key (as the Cloud console's download). */
  createServiceAccount(name: string, project = 'lifecycle-local'): EmulatedServiceAccountKey {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const clientId = String(100_000_000_000_000_000_000n + BigInt(randomInt(1, 2 ** 47)));
    const email = `${name}@${project}.iam.gserviceaccount.com`;
    this.accounts.set(email, { clientId, publicKey });
    return { type: 'service_account', client_email: email, client_id: clientId, private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }

  /** Adds scopes to a client id's delegation. */
  grant(clientId: string, scopes: readonly string[]): void {
    const granted = this.grants.get(clientId) ?? new Set<string>();
    for (const s of scopes) granted.add(s);
    this.grants.set(clientId, granted);
  }

  /** Takes one scope out of a client id's delegation, as an admin editing the delegation line would. */
  revoke(clientId: string, scope: string): void {
    this.grants.get(clientId)?.delete(scope);
  }

  granted(clientId: string): string[] {
    return [...(this.grants.get(clientId) ?? [])];
  }

  routes(): EmulatorRoute[] {
    return [{ method: 'POST', pattern: /^\/token$/, handle: (req) => this.exchange(req) }];
  }

  private exchange(req: EmulatorRequest): EmulatorResponse {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== JWT_BEARER) return oauthError(400, 'unsupported_grant_type', 'Invalid grant_type: ' + (form.get('grant_type') ?? ''));
    const assertion = form.get('assertion') ?? '';
    const parts = assertion.split('.');
    const header = decodePart(parts[0]);
    const claims = decodePart(parts[1]);
    if (parts.length !== 3 || !header || !claims) return oauthError(400, 'invalid_request', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    const iss = typeof claims.iss === 'string' ? claims.iss : '';
    const account = this.accounts.get(iss);
    if (!account) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${parts[0]}.${parts[1]}`);
    if (header.alg !== 'RS256' || !verifier.verify(account.publicKey, Buffer.from(parts[2], 'base64url'))) return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
    const nowSeconds = Math.floor(this.now() / 1000);
    const exp = typeof claims.exp === 'number' ? claims.exp : 0;
    const iat = typeof claims.iat === 'number' ? claims.iat : 0;
    if (claims.aud !== TOKEN_AUDIENCE || exp <= nowSeconds || exp - iat > 3600 || iat > nowSeconds + 300) {
      return oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    if (scopes.length === 0) return oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    const subject = typeof claims.sub === 'string' ? claims.sub : '';
    if (subject) {
      const granted = this.grants.get(account.clientId) ?? new Set<string>();
      if (!scopes.every((s) => granted.has(s))) {
        return oauthError(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
      }
      if (!this.userExists(subject)) return oauthError(400, 'invalid_grant', 'Invalid email or User ID');
    }
    return { status: 200, body: { access_token: localAccessToken('dwd', subject || iss, scopes), expires_in: 3599, token_type: 'Bearer' } };
  }
}
