/** Putting a user back into a group, as the Zendesk restores and the mover's update do: "already a member" and "group gone" told apart. */
import { ZendeskApiError, type ZendeskClient } from '../../providers/zendesk/zendesk-client';

/** Zendesk's 422 for a membership that exists already (the user was put back meanwhile). */
export const isDuplicateMembership = (err: unknown): boolean =>
  err instanceof ZendeskApiError && err.status === 422 && /DuplicateValue/.test(JSON.stringify(err.details ?? ''));

/**
 * Adds the user to the group again: `added`, `already` (a member, made meanwhile), or `gone` when the group no longer
 * exists. A 404 or a 422 alone does not say the group is gone (a 422 also names a user that is no agent): the group
 * is read to be sure, and any other failure is thrown.
 */
export async function addMembershipBack(client: ZendeskClient, userId: number, groupId: number): Promise<'added' | 'already' | 'gone'> {
  try {
    await client.addMembership(userId, groupId);
    return 'added';
  } catch (err) {
    if (isDuplicateMembership(err)) return 'already';
    if (err instanceof ZendeskApiError && (err.status === 404 || err.status === 422) && !(await client.showGroup(groupId))) return 'gone';
    throw err;
  }
}
