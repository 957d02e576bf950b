/**
 * The stage's SCIM 2.0 apps (docs/scim.md): by name, the base URL of each app's SCIM service provider and what the
 * stage allows itself against it. A role names apps by these names; each app's bearer token is a secret of its own on
 * AWS (made by the stack, filled in by an operator) and a local default under `npm start`.
 */
import * as z from './zod';

/** An app's name: in role properties, step ids (`scim-<app>-provision`) and its token secret's name. */
export const scimAppNameSchema = z.string().check(
  z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case: lower-case letters and digits, joined by single dashes'),
  z.maxLength(40, 'must be at most 40 characters'),
);

export const scimAppSchema = z.strictObject({
  /** The SCIM root, up to and including `/v2` where the app has it: `/Users`, `/Groups` and `/ServiceProviderConfig` are under it. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).check(z.refine((u) => !u.endsWith('/'), 'must not end with a slash')),
  /** Requests a second this stage sends the app, per process; the client also waits out a 429's Retry-After. */
  requestsPerSecond: z.optional(z.number().check(z.positive(), z.lte(100))),
});

export const scimAppsSchema = z.record(scimAppNameSchema, scimAppSchema);

export type ScimApps = z.infer<typeof scimAppsSchema>;
