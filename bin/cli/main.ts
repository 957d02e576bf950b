/** The `lifecycle` admin CLI: builds the commander program and maps every outcome to an exit code. */
import { Command, CommanderError } from 'commander';
import { ENV } from '../../lambdas/shared/env-names';
import { version } from '../../package.json';
import { CLI_DEFAULTS } from './api-client';
import { registerCommands } from './commands';
import { CLI_FAILURE, EXIT, messageOf, type CliIo } from './io';

export { processIo, type CliIo } from './io';

/**
 * The program, writing only through `io`. Commander is told to throw instead of exiting, so a
 * failed command rejects parseAsync with a CommanderError carrying the exit code.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('lifecycle')
    .description('Admin CLI for account-lifecycle: send signed HR events and act on runs as an operator.')
    .version(version)
    .option('--json', 'print the raw JSON answer instead of tables')
    .option('--stage <name>', `the deployed stage to act on, signed in with lifecycle login (default $${ENV.stage}; none: the API of ${ENV.apiUrl} with ${ENV.operatorToken})`)
    .showHelpAfterError('(lifecycle --help lists the commands)')
    // Both must be set before any subcommand is added: commander copies them into each subcommand then.
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      'after',
      [
        '',
        'Configuration (environment):',
        `  ${ENV.apiUrl}          API base URL (default ${CLI_DEFAULTS.apiUrl})`,
        `  ${ENV.hmacSecret}      HR signing key events are signed with (default: the npm start one, for localhost only)`,
        `  ${ENV.operatorToken}   bearer token for the operator commands (default: the npm start one, for localhost only)`,
        '  Any other API needs both set, and operator calls to it go over https only (docs/keys.md).',
        `  ${ENV.stage}          the stage to act on when --stage is not given: its sign-in (lifecycle login) carries the operator calls`,
        '',
        'Exit codes: 0 done; 1 the API answered an error or could not be reached; 2 bad command line or event.',
      ].join('\n'),
    );
  registerCommands(program, io);
  return program;
}

/** Runs one command line (without the node and script arguments) and answers its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander's own errors (unknown option, missing argument, bad choice) are all bad input.
      if (err.code !== CLI_FAILURE && err.exitCode !== 0) return EXIT.usage;
      return err.exitCode;
    }
    io.stderr(`lifecycle: unexpected error: ${messageOf(err)}\n`);
    return EXIT.failed;
  }
}
