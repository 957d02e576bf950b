/**
 * A sample operator user pool for the Cognito emulator: the CLI's public app client (authorization code with PKCE,
 * callbacks on the CLI's login ports), the console's public app client (its callback registered by the local runtime
 * once its port is known), a confidential machine client (client credentials), and one person per group.
 */
import { LOGIN_CALLBACK_PORTS, LOGIN_SCOPES, loginCallbackUrl } from '../../../bin/cli/sign-in/callback';
import { MACHINE_GROUPS_DEFAULT, fullScope } from '../../../lambdas/http/operator-access';
import { SIGN_IN_SCOPES } from '../../../console/src/pkce';
import type { LocalCognito } from '../../cognito-authorizer';
import { startEmulatorServer, type EmulatorServer } from '../server';
import { CognitoEmulator, type CognitoEmulatorOptions } from './cognito-emulator';

export const SAMPLE_COGNITO = {
  userPoolId: 'eu-central-1_LocalPool',
  cliClientId: 'lifecycle0cli0local0client',
  consoleClientId: 'lifecycle0console0local0client',
  machineClientId: 'lifecycle0machine0local0client',
  /** Local only, never a real secret. */
  machineClientSecret: 'local-machine-client-secret-0000000000',
  /** The stack's resource server scopes of the groups a machine gets by default (viewer, operator). */
  machineScopes: MACHINE_GROUPS_DEFAULT.map(fullScope),
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
      // As the stack's console client: public, code flow only, the console's scopes; no URL until a console registers.
      { clientId: SAMPLE_COGNITO.consoleClientId, callbackUrls: [], logoutUrls: [], allowedOAuthFlows: ['code'], allowedOAuthScopes: [...SIGN_IN_SCOPES] },
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

/**
 * The local runtime's `cognito` option for this running pool: the API accepts the tokens of its people's clients (the
 * CLI's and the console's) and of its machine client, as API Gateway's authorizer accepts any client of the pool, and
 * the console signs in with its own client, whose URLs are registered here once the runtime's port is known.
 */
export function localCognitoOf(running: RunningCognito): LocalCognito {
  return {
    userPoolId: running.emulator.userPoolId,
    domain: running.url,
    issuer: running.emulator.issuerAt(running.url),
    clientIds: [SAMPLE_COGNITO.cliClientId, SAMPLE_COGNITO.consoleClientId, SAMPLE_COGNITO.machineClientId],
    console: {
      clientId: SAMPLE_COGNITO.consoleClientId,
      register: ({ callbackUrl, signOutUrl }) => running.emulator.setClientUrls(SAMPLE_COGNITO.consoleClientId, { callbackUrls: [callbackUrl], logoutUrls: [signOutUrl] }),
    },
  };
}
