/**
 * The Front provider an action is given: the Core API client (teams, inboxes, teammates read back) and the SCIM client
 * of Front's SCIM 2.0 API (teammates created, bound by externalId, deactivated with `active: false`), the generic
 * lambdas/providers/scim client pointed at https://scim.frontapp.com/v2. Both use the company's one API token and take
 * from the company's one request budget.
 */
import type { RequestPriority } from '../rate-limited-fetch';
import { ScimClient, type ScimClientOptions } from '../scim/scim-client';
import { DEFAULT_FRONT_REQUESTS_PER_MINUTE, FrontClient, type FrontClientOptions } from './front-client';

/** The name the SCIM client goes by in messages and in its budget's key (FRONT_BUDGET_KEY). */
export const FRONT_SCIM_APP = 'front';

export interface FrontSettings {
  /** The Core API root: https://api2.frontapp.com, or the emulator's. */
  baseUrl: string;
  /** The SCIM root, up to and including /v2: https://scim.frontapp.com/v2, or the emulator's. */
  scimBaseUrl: string;
  /** The company API token (scopes: Auto Provisioning for SCIM; teammates:read, teams:read/write, inboxes:read/write), read on use. */
  token: () => Promise<string>;
  requestsPerMinute?: number;
}

export interface FrontProvider {
  core: FrontClient;
  scim: ScimClient;
  /** The same clients, their requests taken from the company's budget as the class of the step they serve. */
  withPriority(priority: RequestPriority | undefined): FrontProvider;
}

export function createFrontProvider(settings: FrontSettings, options: { fetch?: typeof fetch; maxRetries?: number; priority?: RequestPriority } = {}): FrontProvider {
  const perMinute = settings.requestsPerMinute ?? DEFAULT_FRONT_REQUESTS_PER_MINUTE;
  const rateLimit = options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries };
  const coreOptions: FrontClientOptions = { baseUrl: settings.baseUrl, token: settings.token, requestsPerMinute: perMinute, rateLimit, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.priority ? { priority: options.priority } : {}) };
  const scimOptions: ScimClientOptions = { rateLimit, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.priority ? { priority: options.priority } : {}) };
  const self: FrontProvider = {
    core: new FrontClient(coreOptions),
    scim: new ScimClient({ name: FRONT_SCIM_APP, baseUrl: settings.scimBaseUrl.replace(/\/+$/, ''), token: settings.token, requestsPerSecond: perMinute / 60 }, scimOptions),
    withPriority: (priority) => (priority === options.priority ? self : createFrontProvider(settings, { ...options, priority })),
  };
  return self;
}
