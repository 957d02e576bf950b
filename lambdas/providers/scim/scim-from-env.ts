/** The SCIM provider of an action Lambda, from its environment: imported only by SCIM actions. */
import * as z from '../../shared/zod';
import { ENV, requireEnv } from '../../shared/env-names';
import { secretsManagerValue } from '../../shared/secrets';
import { scimAppNameSchema } from '../../../config/scim-apps';
import { createScimProvider, type ScimProvider } from './scim-provider';
import type { ScimAppConnection } from './scim-client';

const appsSchema = z.array(
  z.strictObject({
    name: scimAppNameSchema,
    baseUrl: z.url(),
    requestsPerSecond: z.optional(z.number().check(z.positive())),
    /** The secret holding the app's bearer token (its whole value, or a JSON `{"token":"…"}`). */
    tokenArn: z.optional(z.string()),
    /** Locally only: the token itself. */
    token: z.optional(z.string()),
  }),
);

/** What an app's token secret holds until an admin pastes the app's token in (the stack creates it so). */
export const SCIM_TOKEN_PLACEHOLDER = 'not set: paste the SCIM bearer token of the app here';

/** The token in a secret's value: the whole string, or its `token` field when the value is JSON. */
export function tokenOf(value: string): string {
  const trimmed = value.trim();
  if (trimmed === SCIM_TOKEN_PLACEHOLDER) throw new Error('the SCIM token secret still holds its placeholder: paste the app token into it (stack output ScimTokenSecretArn<App>)');
  if (trimmed.startsWith('{')) {
    let token: unknown;
    try {
      token = (JSON.parse(trimmed) as { token?: unknown }).token;
    } catch {
      // A parse error quotes the input: the secret's value is never put in a message.
      throw new Error('the SCIM token secret starts with "{" but is not JSON: put {"token": "..."} or the token alone in it');
    }
    if (typeof token !== 'string' || !token) throw new Error('the SCIM token secret is JSON without a "token" string');
    return token;
  }
  return trimmed;
}

/** The apps from LIFECYCLE_SCIM_APPS; a malformed value names the variable (never a token). */
export function scimAppsFromEnv(env: NodeJS.ProcessEnv = process.env): ScimAppConnection[] {
  const raw = env[ENV.scimApps] ?? requireEnv(ENV.scimApps);
  const parsed = appsSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`${ENV.scimApps} is not a list of SCIM apps: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.map((app) => {
    const read = app.tokenArn ? secretsManagerValue(app.tokenArn) : undefined;
    const local = app.token;
    const token = async () => {
      if (read) return tokenOf(await read());
      if (local) return local;
      throw new Error(`SCIM app ${app.name} has neither tokenArn nor token in ${ENV.scimApps}`);
    };
    return { name: app.name, baseUrl: app.baseUrl, token, ...(app.requestsPerSecond ? { requestsPerSecond: app.requestsPerSecond } : {}) };
  });
}

export function scimFromEnv(): () => ScimProvider {
  let provider: ScimProvider | undefined;
  return () => (provider ??= createScimProvider(scimAppsFromEnv()));
}

/** The stage's SCIM app names (LIFECYCLE_SCIM_APP_NAMES), for checking a role's `SCIM apps` and `SCIM groups`; unset: none. */
export function scimAppNamesFromEnv(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set((env[ENV.scimAppNames] ?? '').split(',').map((n) => n.trim()).filter(Boolean));
}
