/**
 * A restore's guard: the account bound to the employee now must be the one the step it undoes recorded. Gone since,
 * or another account bound to the employee: a ProviderError that is not retried, and nothing is changed.
 */
import { ProviderError } from '../providers/provider-error';

export interface RecordedAccount<Id extends string | number> {
  /** The id the undone step recorded. */
  id: Id;
  /** The recorded account as the messages name it: `Zendesk user ada@example.com (42)`. */
  name: string;
  /** The kind of account: `Zendesk user`. */
  kind: string;
  /** When it went: `since the leaver's step`. */
  gone: string;
  /** What the undone step did to it: `the leaver's step suspended`. */
  did: string;
  /** Put before the bound account's id in the message: `SCIM user `. */
  idLabel?: string;
}

/** The account bound to `employeeId` now, when it is the recorded one; throws (not retryable) otherwise. */
export function recordedAccountStillBound<A, Id extends string | number>(bound: A | undefined, idOf: (account: A) => Id, recorded: RecordedAccount<Id>, employeeId: string): A {
  if (bound === undefined) throw new ProviderError(`${recorded.name} is gone ${recorded.gone}: nothing can be restored on it`, false);
  const id = idOf(bound);
  if (id !== recorded.id) throw new ProviderError(`the ${recorded.kind} bound to employee ${employeeId} is ${recorded.idLabel ?? ''}${id}, not ${recorded.id} ${recorded.did}: restore it by hand`, false);
  return bound;
}
