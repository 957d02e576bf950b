/**
 * What /console/config.json says when people sign in with Cognito, the one place it is built: by the CDK construct
 * for the distribution (lib/constructs/console-hosting.ts) and by the local server when the local API accepts a
 * Cognito user pool's tokens (local/console-files.ts). The browser reads it as console/src/auth.ts's CognitoConfig.
 */
import type { CognitoSettings } from './src/pkce';

/** Where the console lives below its origin, on the distribution as on the local server. */
export const CONSOLE_PATH = '/console';

/** Where the hosted sign-in sends a person back with a code: registered on the console's app client. */
export const consoleCallbackUrl = (origin: string): string => `${origin}${CONSOLE_PATH}/callback`;

/** Where signing out of the hosted sign-in comes back to: the console's first page, registered as a sign-out URL. */
export const consoleSignOutUrl = (origin: string): string => `${origin}${CONSOLE_PATH}/`;

/** The browser's view of the console's app client (console/src/auth.ts, CognitoConfig). */
export interface ConsoleCognitoConfig extends Readonly<CognitoSettings> {
  readonly auth: 'cognito';
  readonly region: string;
}

export interface ConsoleSignIn {
  /** The user pool's region (e.g. `eu-central-1`). */
  readonly region: string;
  /** The hosted sign-in domain's base URL, with no trailing slash. */
  readonly domain: string;
  /** The console's own app client. */
  readonly clientId: string;
  /** Where the console is served: `https://<distribution>` on AWS, `http://localhost:<port>` locally. */
  readonly consoleOrigin: string;
}

export function consoleCognitoConfig(signIn: ConsoleSignIn): ConsoleCognitoConfig {
  return {
    auth: 'cognito',
    region: signIn.region,
    domain: signIn.domain,
    clientId: signIn.clientId,
    redirectUri: consoleCallbackUrl(signIn.consoleOrigin),
    signOutUri: consoleSignOutUrl(signIn.consoleOrigin),
  };
}
