/** `lifecycle login`, `logout` and `whoami`: an operator's sign-in to a deployed stage, kept in their config directory. */
import type { Command } from 'commander';
import { ENV } from '../../lambdas/shared/env-names';
import { LOCAL_STAGE, type CommandKit } from './command-kit';
import { EXIT, fail, messageOf } from './io';
import { LOGIN_CALLBACK_PORTS, LOGIN_SCOPES } from './sign-in/callback';
import { CallbackPortInUse } from './sign-in/callback-listener';
import { checkAuthDomain, checkClientId } from './sign-in/hosted-domain';
import { login, LoginFailed } from './sign-in/login-flow';
import { openInBrowser } from './sign-in/open-browser';
import { identityOf, loginLine, logout, type Identity } from './sign-in/session';
import { readStageSettings, readTokens, SignInFileError, type StageSettings } from './sign-in/sign-in-files';
import { isLoopback } from './api-client';
import { SIGN_IN_OUTPUTS } from '../../lambdas/http/operator-access';

interface LoginOptions {
  authDomain?: string;
  clientId?: string;
  apiUrl?: string;
  port?: string;
  browser: boolean;
  fromStack?: boolean;
  region?: string;
}

/**
 * `--from-stack`: the sign-in settings read from the stage's stack outputs (needs AWS credentials that may describe
 * the stacks); flags given beside it win. Loaded only then, so other commands never load the CloudFormation client.
 */
async function fromStackOutputs(kit: CommandKit, stage: string, opts: LoginOptions): Promise<LoginOptions> {
  const region = opts.region ?? kit.io.env.AWS_REGION;
  if (!region) fail(kit.io, EXIT.usage, '--from-stack reads the stage\'s stack outputs: give --region or set AWS_REGION');
  const [{ CloudFormationClient }, { stageOutputs }] = await Promise.all([import('@aws-sdk/client-cloudformation'), import('./doctor/aws-target')]);
  let outputs: Record<string, string>;
  try {
    outputs = await stageOutputs(new CloudFormationClient({ region }), stage);
  } catch (err) {
    return fail(kit.io, EXIT.failed, `login to stage ${stage}: the stack outputs could not be read: ${messageOf(err)}`);
  }
  const wanted = [SIGN_IN_OUTPUTS.signInUrl, SIGN_IN_OUTPUTS.cliClientId, SIGN_IN_OUTPUTS.apiUrl];
  const missing = wanted.filter((key) => !outputs[key]);
  if (missing.length) fail(kit.io, EXIT.failed, `login to stage ${stage}: the stacks have no output ${missing.join(', ')}: deploy the stage, or give the flags`);
  return {
    ...opts,
    authDomain: opts.authDomain ?? outputs[SIGN_IN_OUTPUTS.signInUrl],
    clientId: opts.clientId ?? outputs[SIGN_IN_OUTPUTS.cliClientId],
    apiUrl: opts.apiUrl ?? outputs[SIGN_IN_OUTPUTS.apiUrl],
  };
}

/** The stage a sign-in command is about: it must be named, since each stage has its own user pool. */
function requireStage(kit: CommandKit): string {
  const stage = kit.stage();
  if (stage === undefined) fail(kit.io, EXIT.usage, `name the stage: --stage <name> (or ${ENV.stage}), such as --stage dev`);
  return stage;
}

function guarded<T>(kit: CommandKit, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof SignInFileError) fail(kit.io, EXIT.usage, err.message);
    throw err;
  }
}

/** Flags first, then what the last login to this stage stored; the hosted domain and client id are required. */
function settingsFor(kit: CommandKit, stage: string, opts: LoginOptions): StageSettings {
  const previous = guarded(kit, () => readStageSettings(kit.io.env, stage));
  const rawDomain = opts.authDomain ?? previous?.authDomain;
  const clientId = opts.clientId ?? previous?.clientId;
  if (rawDomain === undefined || clientId === undefined) {
    fail(kit.io, EXIT.usage, [
      `stage ${stage} has no sign-in settings yet: give them once, from the Core stack's outputs:`,
      `  ${loginLine(stage)} --auth-domain <OperatorSignInUrl> --client-id <OperatorCliClientId> --api-url <ApiUrl>`,
      `  or, with AWS credentials for the stage's account: ${loginLine(stage)} --from-stack --region <region>`,
    ]);
  }
  const domain = checkAuthDomain(rawDomain);
  if (!domain.ok) fail(kit.io, EXIT.usage, domain.error);
  const wrongClient = checkClientId(clientId);
  if (wrongClient) fail(kit.io, EXIT.usage, wrongClient);
  const apiUrl = opts.apiUrl ?? previous?.apiUrl;
  if (apiUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(apiUrl);
    } catch {
      url = undefined;
    }
    if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url)))) {
      fail(kit.io, EXIT.usage, `--api-url must be the stage's https API URL (the API Gateway endpoint the Core stack outputs); got "${apiUrl}"`);
    }
  }
  let ports = previous?.ports ?? [...LOGIN_CALLBACK_PORTS];
  if (opts.port !== undefined) {
    const port = Number(opts.port);
    if (!/^\d+$/.test(opts.port) || port > 65535) fail(kit.io, EXIT.usage, `--port must be a port number (0 picks a free one), got "${opts.port}"`);
    ports = [port];
  }
  return {
    authDomain: domain.url,
    clientId,
    ...(apiUrl === undefined ? {} : { apiUrl: apiUrl.replace(/\/+$/, '') }),
    ports,
    scopes: [...LOGIN_SCOPES],
  };
}

const describe = (who: Identity) =>
  `${who.username}${who.name || who.email ? ` (${[who.name, who.email && `<${who.email}>`].filter(Boolean).join(' ')})` : ''}`;

export function registerLoginCommands(program: Command, kit: CommandKit): void {
  program
    .command('login')
    .description('sign in to a deployed stage in the browser (hosted sign-in, authorization code with PKCE) and keep the tokens for the operator commands')
    .option('--auth-domain <url>', "the user pool's hosted domain (Core stack output OperatorSignInUrl); remembered per stage")
    .option('--client-id <id>', "the CLI's app client id (Core stack output OperatorCliClientId); remembered per stage")
    .option('--api-url <url>', "the stage's API URL (the API Gateway endpoint the Core stack outputs); remembered per stage")
    .option('--port <n>', `the localhost port the browser comes back to, registered as a callback URL of the app client (default: the first free of ${LOGIN_CALLBACK_PORTS.join(', ')}); remembered per stage`)
    .option('--no-browser', 'do not open a browser: print the sign-in URL only')
    .option('--from-stack', "read the hosted domain, client id and API URL from the stage's stack outputs (AWS credentials needed)")
    .option('--region <region>', 'with --from-stack: the AWS region of the stage (default: AWS_REGION)')
    .action(async (given: LoginOptions, cmd: Command) => {
      const stage = requireStage(kit);
      const opts = given.fromStack ? await fromStackOutputs(kit, stage, given) : given;
      const settings = settingsFor(kit, stage, opts);
      const opener = opts.browser ? (kit.io.openBrowser ?? openInBrowser) : () => undefined;
      let result;
      try {
        result = await login({ env: kit.io.env, fetch: kit.io.fetch, now: kit.now, openBrowser: opener, tell: (text) => kit.io.stderr(text) }, stage, settings);
      } catch (err) {
        if (err instanceof LoginFailed || err instanceof CallbackPortInUse) fail(kit.io, EXIT.failed, `login to stage ${stage} failed: ${err.message}`);
        if (err instanceof SignInFileError) fail(kit.io, EXIT.usage, err.message);
        fail(kit.io, EXIT.failed, `login to stage ${stage} failed: ${messageOf(err)}`);
      }
      const who = result.identity;
      if (kit.wantsJson(cmd)) {
        kit.out(JSON.stringify({ ...who, tokenFile: result.tokenFile }, null, 2));
        return;
      }
      kit.out(
        [
          `signed in to stage ${stage} as ${describe(who)}; groups: ${who.groups.join(', ') || '(none)'}`,
          `tokens kept in ${result.tokenFile} (readable by you only), valid until ${who.expiresAt} and refreshed automatically`,
          ...(settings.apiUrl ? [] : [`no API URL stored for stage ${stage}: pass --api-url <url> once, or set ${ENV.apiUrl}`]),
        ].join('\n'),
      );
    });

  program
    .command('logout')
    .description('sign out of a stage: revoke the refresh token at the hosted domain and remove the token file')
    .action(async (_opts: unknown, cmd: Command) => {
      const stage = requireStage(kit);
      let out;
      try {
        out = await logout({ env: kit.io.env, fetch: kit.io.fetch, now: kit.now }, stage);
      } catch (err) {
        if (err instanceof SignInFileError) fail(kit.io, EXIT.usage, err.message);
        throw err;
      }
      if (kit.wantsJson(cmd)) kit.out(JSON.stringify({ stage, ...out }, null, 2));
      if (!out.signedIn) {
        if (!kit.wantsJson(cmd)) kit.out(`not signed in to stage ${stage}: nothing to do`);
        return;
      }
      if (!out.revoked) fail(kit.io, EXIT.failed, `removed ${out.path}, but the refresh token could not be revoked: ${out.reason}`);
      if (!kit.wantsJson(cmd)) kit.out(`signed out of stage ${stage}: the refresh token is revoked and ${out.path} removed`);
    });

  program
    .command('whoami')
    .description('who the operator commands act as: the signed-in name and groups of a stage, from its ID token')
    .action((_opts: unknown, cmd: Command) => {
      const stage = kit.stage();
      const tokens = stage === undefined ? undefined : guarded(kit, () => readTokens(kit.io.env, stage));
      if (!tokens) {
        if (stage === undefined || stage === LOCAL_STAGE) {
          kit.out(`no stage chosen: operator calls carry ${ENV.operatorToken} (or the npm start token for an API on this machine); sign in to a stage with lifecycle login --stage <stage>`);
          return;
        }
        fail(kit.io, EXIT.failed, `not signed in to stage ${stage}: run ${loginLine(stage)}`);
      }
      const who = identityOf(tokens, kit.now());
      if (kit.wantsJson(cmd)) {
        kit.out(JSON.stringify(who, null, 2));
        return;
      }
      kit.out(
        [
          `stage ${who.stage}: ${describe(who)}`,
          `groups: ${who.groups.join(', ') || '(none)'}`,
          who.expired ? `tokens expired at ${who.expiresAt}: the next operator command renews them` : `tokens valid until ${who.expiresAt}, renewed automatically`,
        ].join('\n'),
      );
    });
}
