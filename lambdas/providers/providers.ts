/** The provider clients an action may be given: each action Lambda is built with only those its catalog entry needs. */
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { GoogleClients } from './google/google-clients';
import type { RequestPriority } from './rate-limited-fetch';
import type { ZendeskClient } from './zendesk/zendesk-client';
import type { ScimProvider } from './scim/scim-provider';
import type { FrontProvider } from './front/front-provider';
import type { NextcloudClient } from './nextcloud/nextcloud-client';
import type { OpenProjectClient } from './openproject/openproject-client';

/** Amazon Connect: the SDK client and the one instance the actions act on. */
export interface ConnectProvider {
  client: ConnectClient;
  instanceId: string;
  /** The class this client's requests take from the Connect budget as; undefined: no step's (served after `lockout`). */
  readonly priority?: RequestPriority;
  /**
   * The same provider (instance, budget and caches shared) whose requests take from the budget as the step they serve:
   * `lockout` first (docs/engine.md, "The Connect budget"). Absent on a provider built by hand, which has no budget.
   */
  withPriority?(priority: RequestPriority | undefined): ConnectProvider;
}

/** Zendesk Support: the REST client and the stage's settings the leaver needs. */
export interface ZendeskProvider {
  client: ZendeskClient;
  /** The group a leaver's open tickets are reassigned to (the stage's zendesk.leaverTicketGroup); unset: the leaver step is held. */
  leaverTicketGroup?: string;
}

/** Nextcloud: the OCS Provisioning API and WebDAV client (docs/nextcloud.md). */
export interface NextcloudProvider {
  client: NextcloudClient;
}

/** OpenProject: the API v3 client and the user custom field holding the employee id (docs/openproject.md). */
export interface OpenProjectProvider {
  client: OpenProjectClient;
  /** `customField<N>`: the user custom field whose value is the employee id a user is bound to. */
  employeeIdField: string;
}

/** The providers an action may call, by the name its catalog entry's `needs` uses. */
export interface Providers {
  google: GoogleClients;
  connect: ConnectProvider;
  zendesk: ZendeskProvider;
  /** The stage's SCIM 2.0 apps, by name. */
  scim: ScimProvider;
  /** Front: the Core API and SCIM clients of the company (docs/front.md). */
  front: FrontProvider;
  /** Nextcloud: users, groups and quota over OCS (docs/nextcloud.md). */
  nextcloud: NextcloudProvider;
  /** OpenProject: users, bound by a user custom field (docs/openproject.md). */
  openproject: OpenProjectProvider;
}
