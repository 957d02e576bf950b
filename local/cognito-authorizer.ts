/**
 * API Gateway's Cognito authorizer, locally: a bearer token that is a user pool's access token is verified
 * (signature against the pool's JWKS, issuer, token use, app client, expiry, and a scope some operator route takes)
 * and its claims are put where API Gateway puts them, `requestContext.authorizer.claims`, for the API handler to
 * read with the same code as on AWS (lambdas/http/operator-auth.ts, callerFromClaims).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { OPERATOR_GROUPS, PEOPLE_SCOPE, fullScope } from '../lambdas/http/operator-access';
import { header } from '../lambdas/http/signature';

/** The console's own URLs on the local server, once its port is known. */
export interface ConsoleClientUrls {
  callbackUrl: string;
  signOutUrl: string;
}

/** The user pool whose tokens the local API accepts beside the local tokens (the runtime's `cognito` option). */
export interface LocalCognito {
  /** `<region>_<id>`, as Cognito names pools: the region is read from it. */
  userPoolId: string;
  /** The hosted sign-in domain's base URL: where the console sends people to sign in (the Cognito emulator's address). */
  domain: string;
  /** The tokens' `iss`; their keys are at `<issuer>/.well-known/jwks.json`. Default: `<domain>/<userPoolId>`, the emulator's. */
  issuer?: string;
  /** The app clients whose access tokens are accepted (API Gateway's authorizer takes every client of the pool). */
  clientIds: readonly string[];
  /** The console's app client: set, the console signs people in with it instead of offering the local tokens. */
  console?: {
    clientId: string;
    /** Registers the console's callback and sign-out URLs on the client once the local server's port is known. */
    register?: (urls: ConsoleClientUrls) => void;
  };
}

export const regionOfPool = (userPoolId: string): string => userPoolId.split('_')[0];

export const issuerOf = (cognito: LocalCognito): string => cognito.issuer ?? `${cognito.domain.replace(/\/+$/, '')}/${cognito.userPoolId}`;

/** The scopes API Gateway takes on some operator route: a person's `openid`, or a group's scope for a machine. */
const OPERATOR_SCOPES = new Set([PEOPLE_SCOPE, ...OPERATOR_GROUPS.map(fullScope)]);

/** aws-jwt-verify reads JWKS over HTTPS only; the emulator answers plain HTTP on localhost. */
const httpFetcher: Fetcher = {
  async fetch(uri) {
    const res = await fetch(uri);
    if (res.status !== 200) throw new Error(`${uri} answered ${res.status}`);
    return res.arrayBuffer();
  },
};

/** Verifies a bearer token as the pool's access token: its claims, or undefined for anything not accepted. */
export type CognitoTokenVerifier = (token: string) => Promise<Record<string, unknown> | undefined>;

export function cognitoTokenVerifier(cognito: LocalCognito): CognitoTokenVerifier {
  const issuer = issuerOf(cognito);
  const clientIds = [...cognito.clientIds];
  const verifier = JwtVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      // Cognito's access tokens carry no `aud`: the client is their `client_id`, checked below as aws-jwt-verify's
      // Cognito verifier checks it.
      audience: null,
      customJwtCheck: ({ payload }) => {
        validateCognitoJwtFields(payload, { tokenUse: 'access', clientId: clientIds });
        const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
        if (!scopes.some((s) => OPERATOR_SCOPES.has(s))) throw new Error(`the token holds no scope an operator route takes (${payload.scope ?? 'none'})`);
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher }) },
  );
  return async (token) => {
    try {
      return (await verifier.verify(token)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
}

type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * The handler behind the authorizer: a bearer token the verifier accepts reaches it with its claims in
 * `requestContext.authorizer.claims`; any other request reaches it as it came (a local token is read by the handler,
 * and a token nobody accepts gets the handler's 401).
 */
export function withCognitoAuthorizer(handler: ApiHandler, verify: CognitoTokenVerifier): ApiHandler {
  return async (event, context) => {
    const token = /^Bearer (.+)$/i.exec(header(event.headers, 'authorization') ?? '')?.[1];
    // A JWS has three parts; a local token has none of its dots.
    const claims = token && token.split('.').length === 3 ? await verify(token) : undefined;
    if (!claims) return handler(event, context);
    return handler({ ...event, requestContext: { ...event.requestContext, authorizer: { claims } } }, context);
  };
}
