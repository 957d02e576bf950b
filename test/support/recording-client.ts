/**
 * A real AWS SDK client whose `send` aws-sdk-client-mock answers: the command objects, middleware-free, as the
 * adapter built them, and whatever the test's `reply` returns or throws (an SDK exception, for a refusal).
 */
import { mockClient } from 'aws-sdk-client-mock';

export interface SentCommand {
  input: unknown;
}

/** `sent` lists each command the client was given, in order. */
export function recording<C>(Kind: new (config: { region: string }) => C, reply: (command: SentCommand) => unknown = () => ({})) {
  const client = new Kind({ region: 'eu-central-1' });
  const mock = mockClient(client as never);
  mock.onAnyCommand().callsFake(async (input: unknown) => reply({ input }));
  return {
    client,
    get sent(): SentCommand[] {
      return mock.calls().map((call) => call.args[0] as SentCommand);
    },
  };
}
