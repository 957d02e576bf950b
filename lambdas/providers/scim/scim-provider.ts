/** The SCIM provider an action is given: the stage's SCIM apps by name, each with its own client, token and budget. */
import type { RequestPriority } from '../rate-limited-fetch';
import { ProviderError } from '../provider-error';
import { ScimClient, type ScimAppConnection, type ScimClientOptions } from './scim-client';

export interface ScimProvider {
  /** The app names the stage configures. */
  readonly apps: readonly string[];
  /** The client of one app; a name the stage does not configure is a clear, not retryable error. */
  client(app: string): ScimClient;
  /** The same apps, their requests taken from each app's budget as the class of the step they serve. */
  withPriority(priority: RequestPriority | undefined): ScimProvider;
}

export function createScimProvider(apps: readonly ScimAppConnection[], options: ScimClientOptions = {}): ScimProvider {
  const clients = new Map<string, ScimClient>();
  return {
    apps: apps.map((a) => a.name),
    client(name) {
      let client = clients.get(name);
      if (!client) {
        const app = apps.find((a) => a.name === name);
        if (!app) throw new ProviderError(`SCIM app ${name} is not configured in this stage's scimApps (configured: ${apps.map((a) => a.name).join(', ') || 'none'})`, false);
        client = new ScimClient(app, options);
        clients.set(name, client);
      }
      return client;
    },
    withPriority: (priority) => createScimProvider(apps, { ...options, priority }),
  };
}
