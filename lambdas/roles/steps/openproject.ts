/**
 * The OpenProject steps a role diff calls for (docs/openproject.md): a user to provision when the role comes to give
 * one, to lock when it no longer does. A role gives an OpenProject user when its `OpenProject account` is `user`.
 * Joiner = the diff from nothing, leaver = the diff to nothing. Pure.
 */
import type { RoleDiff, SingleDiff } from '../diff';
import type { StepPlanner } from './planner';

const before = (d: SingleDiff | undefined) => d?.kept?.value ?? d?.changed?.from?.value;
const after = (d: SingleDiff | undefined) => d?.kept?.value ?? d?.changed?.to?.value;

export function openProjectSteps(diff: RoleDiff, { add, remove }: StepPlanner): void {
  // The catalog reads only `user` into the field (role-model.ts): any value gives the account.
  const had = before(diff.single.openprojectAccount);
  const has = after(diff.single.openprojectAccount);
  if (has && !had) add('provision-openproject-user', 'openproject.provisionUser', {});
  else if (had && !has) remove('lock-openproject-user', 'openproject.lockUser', { granted: { account: had } });
}
