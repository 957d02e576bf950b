/** The provider clients an action may be given: each action Lambda is built with only those its catalog entry needs. */
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { GoogleClients } from './google/google-clients';

/** Amazon Connect: the SDK client and the one instance the actions act on. */
export interface ConnectProvider {
  client: ConnectClient;
  instanceId: string;
}

/** The providers an action may call, by the name its catalog entry's `needs` uses. */
export interface Providers {
  google: GoogleClients;
  connect: ConnectProvider;
}
