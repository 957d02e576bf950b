/**
 * Whose cache a Connect client reads: the clients of one provider (one per priority class) share the first one's, so what
 * one container has read from Connect is read once whatever the class of the step that needs it.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';

const owners = new WeakMap<ConnectClient, ConnectClient>();

/** Makes `client` read and fill `owner`'s caches. */
export function shareConnectCaches(client: ConnectClient, owner: ConnectClient): void {
  owners.set(client, owners.get(owner) ?? owner);
}

/** The client whose caches `client` uses: the key of every per-container cache of Connect reads. */
export function cacheOwnerOf(client: ConnectClient): ConnectClient {
  return owners.get(client) ?? client;
}
