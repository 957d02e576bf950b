/**
 * A sample operator user pool for the Cognito emulator: the CLI's public app client (authorization code with PKCE,
 * callbacks on the CLI's login ports), a confidential machine client (client credentials), and one person per group.
 */
import { LOGIN_CALLBACK_PORTS, LOGIN_SCOPES, loginCallbackUrl } from '../../../bin/cli/sign-in/callback';
import { startEmulatorServer, type EmulatorServer } from '../server';
import { CognitoEmulator, type CognitoEmulatorOptions } from './cognito-emulator';

export const SAMPLE_COGNITO = {
  userPoolId: 'eu-central-1_LocalPool',
  cliClientId: 'lifecycle0cli0local0client',
  machineClientId: 'lifecycle0machine0local0client',
  /** Local only, never a real secret. */
  machineClientSecret: 'local-machine-client-secret-0000000000',
  machineScopes: ['lifecycle/read', 'lifecycle/operate'],
  users: [
    { username: 'ada', email: 'ada.lovelace@example.com', name: 'Ada Lovelace', groups: ['operator', 'approver'] },
    { username: 'grace', email: 'grace.hopper@example.com', name: 'Grace Hopper', groups: ['viewer'] },
    { username: 'linus', email: 'linus.pauling@example.com', name: 'Linus Pauling', groups: ['operator'] },
  ],
} as const;

export function sampleCognito(options: Partial<CognitoEmulatorOptions> & { callbackPorts?: number[] } = {}): CognitoEmulator {
  const callbackUrls = (options.callbackPorts ?? LOGIN_CALLBACK_PORTS).map((port) => loginCallbackUrl(port));
  return new CognitoEmulator({
    userPoolId: SAMPLE_COGNITO.userPoolId,
    clients: [
      { clientId: SAMPLE_COGNITO.cliClientId, callbackUrls, allowedOAuthFlows: ['code'], allowedOAuthScopes: [...LOGIN_SCOPES] },
      {
        clientId: SAMPLE_COGNITO.machineClientId,
        clientSecret: SAMPLE_COGNITO.machineClientSecret,
        callbackUrls: [],
        allowedOAuthFlows: ['client_credentials'],
        allowedOAuthScopes: [...SAMPLE_COGNITO.machineScopes],
      },
    ],
    users: SAMPLE_COGNITO.users.map((u) => ({ ...u, groups: [...u.groups] })),
    signedIn: 'ada',
    ...options,
  });
}

export interface RunningCognito {
  emulator: CognitoEmulator;
  server: EmulatorServer;
  /** The hosted domain: what `lifecycle login --auth-domain` takes. */
  url: string;
  stop(): Promise<void>;
}

export async function startCognitoEmulator(port: number, emulator: CognitoEmulator = sampleCognito()): Promise<RunningCognito> {
  const server = await startEmulatorServer(emulator.routes(), port);
  return { emulator, server, url: server.url, stop: () => server.stop() };
}
