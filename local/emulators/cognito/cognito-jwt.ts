/** RS256 JSON web tokens as a Cognito user pool signs them: a key pair, its JWKS, and compact JWS signing. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

export interface Jwk {
  kty: 'RSA';
  alg: 'RS256';
  use: 'sig';
  kid: string;
  n: string;
  e: string;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class SigningKey {
  readonly kid: string;
  private readonly privateKey: KeyObject;

  /** A fresh 2048-bit key unless a PEM is given (a test that wants tokens to survive a restart passes one). */
  constructor(options: { privateKeyPem?: string; kid?: string } = {}) {
    this.privateKey = options.privateKeyPem
      ? createPrivateKey(options.privateKeyPem)
      : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    this.kid = options.kid ?? randomUUID();
  }

  /** The public half as /.well-known/jwks.json lists it. */
  jwk(): Jwk {
    const { n, e } = this.privateKey.export({ format: 'jwk' });
    return { kty: 'RSA', alg: 'RS256', use: 'sig', kid: this.kid, n: String(n), e: String(e) };
  }

  /** Header then payload, as Cognito orders them: `{"kid","alg"}` with no `typ`. */
  sign(payload: Record<string, unknown>): string {
    const input = `${base64url(JSON.stringify({ kid: this.kid, alg: 'RS256' }))}.${base64url(JSON.stringify(payload))}`;
    return `${input}.${base64url(sign('sha256', Buffer.from(input), this.privateKey))}`;
  }

  /** The payload of a token this key signed; undefined for anything else. */
  verify(token: string): Record<string, unknown> | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey(this.privateKey), Buffer.from(parts[2], 'base64url'));
    if (!ok) return undefined;
    try {
      const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}
