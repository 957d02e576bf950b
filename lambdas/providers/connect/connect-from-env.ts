/** The Connect provider of an action Lambda, from its environment: imported only by Connect actions. */
import type { ConnectProvider } from '../providers';
import { ENV, requireEnv } from '../../shared/env-names';
import { createConnectClient } from './connect-client';

export function connectFromEnv(): () => ConnectProvider {
  let provider: ConnectProvider | undefined;
  return () => {
    provider ??= {
      client: createConnectClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: process.env[ENV.connectEndpoint] || undefined }),
      instanceId: requireEnv(ENV.connectInstanceId),
    };
    return provider;
  };
}
