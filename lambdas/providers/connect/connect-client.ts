/** Builds the one Amazon Connect client every Connect action uses: the real SDK client, endpoint configurable. */
import { ConnectClient, type ConnectClientConfig } from '@aws-sdk/client-connect';

// Taken from the client's own config so no transitive @aws-sdk/types import is needed.
type ConnectCredentials = NonNullable<ConnectClientConfig['credentials']>;

export interface ConnectClientOptions {
  region: string;
  /** The local emulator's URL; unset for the real service. */
  endpoint?: string;
  /** Unset in Lambda: the function role's credentials come from the default chain. */
  credentials?: ConnectCredentials;
  /** Tries per call, the first included. The engine retries the whole step as well, so keep it small. */
  maxAttempts?: number;
}

/** The emulator checks no signature, but the SDK will not send a request it cannot sign. */
export const LOCAL_CONNECT_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const satisfies ConnectCredentials;

export const DEFAULT_CONNECT_MAX_ATTEMPTS = 3;

export function createConnectClient(options: ConnectClientOptions): ConnectClient {
  return new ConnectClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    // Connect's per-account API rates are low (a few requests a second); adaptive mode slows this
    // client down after a ThrottlingException instead of only backing off the one call.
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_CONNECT_MAX_ATTEMPTS,
  });
}
