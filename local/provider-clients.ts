/** The real provider clients of the local runtime, pointed at the emulators: only the root URL, endpoint and credentials differ. */
import { LOCAL_CONNECT_CREDENTIALS } from '../lambdas/providers/connect/connect-client';
import { connectBudgetMaxWaitMs, type ConnectBudgets } from '../lambdas/providers/connect/connect-budget';
import { createConnectProvider } from '../lambdas/providers/connect/connect-provider';
import type { ConnectProvider, NextcloudProvider, OpenProjectProvider, ZendeskProvider } from '../lambdas/providers/providers';
import { ZendeskClient } from '../lambdas/providers/zendesk/zendesk-client';
import { LOCAL_ZENDESK_EMAIL, LOCAL_ZENDESK_TOKEN } from './emulators/zendesk/zendesk-emulator';
import { createGoogleClients, type GoogleClients } from '../lambdas/providers/google/google-clients';
import { createNotionClient } from '../lambdas/providers/notion/notion-client';
import { NotionRoleCatalog } from '../lambdas/providers/notion/role-catalog';
import { DEFAULT_RATE_LIMIT, type RequestBudget } from '../lambdas/providers/rate-limited-fetch';
import type { RoleSource } from '../lambdas/engine/ports';
import { readKnownReferences } from '../lambdas/providers/known-references';
import { createScimProvider, type ScimProvider } from '../lambdas/providers/scim/scim-provider';
import { sampleScimBaseUrl } from './emulators/scim/scim-sample';
import { createFrontProvider, type FrontProvider } from '../lambdas/providers/front/front-provider';
import { frontCoreBaseUrl, frontScimBaseUrl, LOCAL_FRONT_TOKEN } from './emulators/front/front-emulator';
import { NextcloudClient } from '../lambdas/providers/nextcloud/nextcloud-client';
import { LOCAL_NEXTCLOUD_ADMIN, LOCAL_NEXTCLOUD_APP_PASSWORD } from './emulators/nextcloud/nextcloud-emulator';
import { OpenProjectClient } from '../lambdas/providers/openproject/openproject-client';
import { LOCAL_OPENPROJECT_TOKEN } from './emulators/openproject/openproject-emulator';
import { LOCAL_GOOGLE_CREDENTIALS } from './credentials/google-local-token';
import { LOCAL_NOTION_TOKEN } from './emulators/notion/notion-emulator';
import { LOCAL_CONNECT_INSTANCE_ID, LOCAL_GOOGLE_ADMIN, LOCAL_NOTION_ROLES_DATA_SOURCE_ID, type ProviderEmulators } from './emulators/provider-emulators';

export interface ProviderClients {
  google: GoogleClients;
  connect: ConnectProvider;
  zendesk: ZendeskProvider;
  /** Every app the SCIM emulator serves, each with its own token. */
  scim: ScimProvider;
  /** Front's Core API and SCIM clients, at the emulator's /front and /scim/front/v2. */
  front: FrontProvider;
  /** Nextcloud's OCS and WebDAV client, at the emulator's /ocs and /remote.php. */
  nextcloud: NextcloudProvider;
  /** OpenProject's API v3 client, at the emulator's /api/v3. */
  openproject: OpenProjectProvider;
  roles: RoleSource;
}

export interface LocalProviderOptions {
  googleRequestsPerMinute?: number;
  googleBudget?: RequestBudget;
  /**
   * What each Connect request takes from, per API (`lockout` first); unset: no Connect budget, as the emulator throttles
   * nothing unless told to.
   */
  connectBudgets?: ConnectBudgets;
  /** The stage's actionTimeoutSeconds: a Connect step waits in its budget's line for half of it at most. */
  actionTimeoutSeconds?: number;
  roleCacheMs?: number;
  /** The stage's zendesk settings: the group leavers' open tickets go to, and the requests a minute allowed. */
  zendesk?: { leaverTicketGroup?: string; requestsPerMinute?: number };
  /** The stage's front settings: the requests a minute allowed (the base URLs are the emulator's). */
  front?: { requestsPerMinute?: number };
  /** The stage's nextcloud settings: the requests a minute allowed (the base URL and admin are the emulator's). */
  nextcloud?: { requestsPerMinute?: number };
  /** The stage's openproject settings: the employee id field and requests a minute (the base URL is the emulator's). */
  openproject?: { requestsPerMinute?: number; employeeIdField?: string };
}

export function localProviderClients(emulators: ProviderEmulators, options: LocalProviderOptions = {}): ProviderClients {
  const emulatorUrl = emulators.server.url;
  const google = createGoogleClients({
    rootUrl: `${emulatorUrl}/`,
    customerId: 'my_customer',
    adminSubject: LOCAL_GOOGLE_ADMIN,
    credentials: LOCAL_GOOGLE_CREDENTIALS,
    rateLimit: { ...DEFAULT_RATE_LIMIT, perMinute: options.googleRequestsPerMinute ?? DEFAULT_RATE_LIMIT.perMinute },
    ...(options.googleBudget ? { budget: options.googleBudget } : {}),
  });
  const connect = createConnectProvider({
    region: emulators.connect.region,
    endpoint: emulatorUrl,
    credentials: LOCAL_CONNECT_CREDENTIALS,
    instanceId: LOCAL_CONNECT_INSTANCE_ID,
    ...(options.connectBudgets ? { budgets: options.connectBudgets } : {}),
    ...(options.actionTimeoutSeconds ? { maxBudgetWaitMs: connectBudgetMaxWaitMs(options.actionTimeoutSeconds) } : {}),
  });
  // The emulator's API user and token, as the stage's secret holds them on AWS; only the base URL differs.
  const zendesk: ZendeskProvider = {
    client: new ZendeskClient({ baseUrl: emulatorUrl, email: LOCAL_ZENDESK_EMAIL, token: async () => LOCAL_ZENDESK_TOKEN, requestsPerMinute: options.zendesk?.requestsPerMinute }),
    leaverTicketGroup: options.zendesk?.leaverTicketGroup,
  };
  const notion = createNotionClient({ auth: LOCAL_NOTION_TOKEN, baseUrl: emulatorUrl });
  const catalog = new NotionRoleCatalog({ client: () => notion, dataSourceId: LOCAL_NOTION_ROLES_DATA_SOURCE_ID, ttlMs: options.roleCacheMs });
  const scim = createScimProvider([...emulators.scim.apps.values()].map((app) => ({ name: app.name, baseUrl: sampleScimBaseUrl(emulatorUrl, app.name), token: async () => app.state.token })));
  const knownReferences = async () => ({ ...(await readKnownReferences(google, connect)), scimApps: new Set(scim.apps) });
  // The emulator's company token, as the stage's secret holds it on AWS; only the base URLs differ.
  const front = createFrontProvider({ baseUrl: frontCoreBaseUrl(emulatorUrl), scimBaseUrl: frontScimBaseUrl(emulatorUrl), token: async () => LOCAL_FRONT_TOKEN, requestsPerMinute: options.front?.requestsPerMinute });
  // The emulator's admin and app password, as the stage's secret holds it on AWS; only the base URL differs.
  const nextcloud: NextcloudProvider = { client: new NextcloudClient({ baseUrl: emulatorUrl, user: LOCAL_NEXTCLOUD_ADMIN, appPassword: async () => LOCAL_NEXTCLOUD_APP_PASSWORD, requestsPerMinute: options.nextcloud?.requestsPerMinute }) };
  // The emulator admin's API token, as the stage's secret holds it on AWS; only the base URL differs.
  const openproject: OpenProjectProvider = { client: new OpenProjectClient({ baseUrl: emulatorUrl, apiToken: async () => LOCAL_OPENPROJECT_TOKEN, requestsPerMinute: options.openproject?.requestsPerMinute }), employeeIdField: options.openproject?.employeeIdField ?? 'customField1' };
  return { google, connect, zendesk, scim, front, nextcloud, openproject, roles: { catalog, knownReferences } };
}
