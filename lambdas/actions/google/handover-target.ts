/**
 * To whom a leaver's sole-owner resources go: the manager (managerEmail), or the stage's handover owner when the
 * leaver has none, the manager is leaving too (request.managerLeaving), or the stage says so. Either must be an active account of the domain and not the leaver, or the
 * step holds for an operator before anything is handed over.
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import { DEFAULT_HANDOVER } from '../../../config/handover';
import type { ActionRequest } from '../../engine/ports';
import type { GoogleClients } from '../../providers/google/google-clients';
import { googleErrorInfo, googleFailure } from '../../providers/google/google-errors';
import { AccountHoldError, type ActionContext } from '../define-action';

export interface HandoverTarget {
  /** The primary address, as Drive, Groups and Calendar take it. */
  address: string;
  /** The account's id, as the Data Transfer API takes it. */
  userId: string;
  /** Who it is: the leaver's manager, or the stage's handover owner. */
  as: 'manager' | 'owner';
}

/**
 * Every address the leaver's account answers to, lower-cased: its primary address, its aliases and its addresses on
 * domain aliases, and the address the event named. Drive and Calendar name a member by the primary address, while
 * the event may name the account by an alias.
 */
export function leaverAddresses(leaver: admin_directory_v1.Schema$User, eventAddress: string): Set<string> {
  const all = [leaver.primaryEmail, ...(leaver.aliases ?? []), ...(leaver.nonEditableAliases ?? []), eventAddress];
  return new Set(all.filter((a): a is string => Boolean(a)).map((a) => a.toLowerCase()));
}

export async function handoverTarget(ctx: ActionContext, g: GoogleClients, request: ActionRequest, leaver: admin_directory_v1.Schema$User): Promise<HandoverTarget> {
  const setting = ctx.handover?.() ?? DEFAULT_HANDOVER;
  const employeeId = request.employee.id;
  const manager = request.employee.managerEmail?.trim().toLowerCase();
  // A manager leaving too would be locked out with what they were given: the stage's owner takes it, or an operator decides.
  const leaving = request.managerLeaving;
  if (leaving && manager && setting.to !== 'owner' && !setting.owner) {
    throw new AccountHoldError(
      `employee ${employeeId}'s managerEmail ${manager} is leaving too (employee ${leaving.employeeId}, termination run ${leaving.runId}, effective ${leaving.effectiveDate}): ` +
        "nothing was handed over; send another manager in an HR event or set the stage's handover.owner, then retry, or skip this step and hand it over by hand",
      'beneficiary',
    );
  }
  const useOwner = setting.to === 'owner' || !manager || Boolean(leaving);
  const candidate = useOwner ? setting.owner : manager;
  const field = useOwner ? "the stage's handover.owner" : `employee ${employeeId}'s managerEmail`;
  const hold = (why: string) =>
    new AccountHoldError(`${why}: nothing was handed over; send the right manager in an HR event or set the stage's handover.owner, then retry, or skip this step and hand it over by hand`, 'beneficiary');
  if (!candidate) throw hold(`employee ${employeeId} has no managerEmail and the stage names no handover.owner`);
  let user: admin_directory_v1.Schema$User;
  try {
    user = (await g.directory.users.get({ userKey: candidate, projection: 'basic' })).data;
  } catch (err) {
    // 404: no such account; 403: a domain the customer does not own; 412: deleted.
    const status = googleErrorInfo(err).status;
    if (status === 404 || status === 403 || status === 412) throw hold(`${field} ${candidate} is no account of the domain`);
    throw googleFailure(err, `reading ${field} ${candidate}`);
  }
  if ((leaver.id && user.id === leaver.id) || candidate === leaver.primaryEmail?.toLowerCase()) throw hold(`${field} ${candidate} is the leaver's own account`);
  if (user.suspended) throw hold(`${field} ${candidate} is suspended`);
  if (user.archived) throw hold(`${field} ${candidate} is archived`);
  return { address: (user.primaryEmail ?? candidate).toLowerCase(), userId: user.id ?? '', as: useOwner ? 'owner' : 'manager' };
}
