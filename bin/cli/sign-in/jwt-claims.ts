/**
 * The claims of a Cognito token, read without checking its signature: the CLI only shows who is signed in and
 * when the token runs out; the API checks signatures. Never logs or prints the token itself.
 */
import * as z from '../../../lambdas/shared/zod';

export const tokenClaims = z.looseObject({
  sub: z.optional(z.string()),
  exp: z.optional(z.number()),
  iat: z.optional(z.number()),
  iss: z.optional(z.string()),
  aud: z.optional(z.union([z.string(), z.array(z.string())])),
  client_id: z.optional(z.string()),
  token_use: z.optional(z.string()),
  nonce: z.optional(z.string()),
  email: z.optional(z.string()),
  name: z.optional(z.string()),
  username: z.optional(z.string()),
  'cognito:username': z.optional(z.string()),
  'cognito:groups': z.optional(z.array(z.string())),
});

export type TokenClaims = z.infer<typeof tokenClaims>;

/** The payload of a compact JWS, or undefined when the text is not one. */
export function readClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const parsed = tokenClaims.safeParse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Who a token names, as people know them: the user name, else the email, else the subject. */
export const personOf = (claims: TokenClaims): string => claims['cognito:username'] ?? claims.username ?? claims.email ?? claims.sub ?? '(unknown)';
