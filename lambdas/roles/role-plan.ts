/** The steps a role calls for: a joiner's access, or what a mover gains and loses. Pure. */
import { diffRoles, moverSteps, type MoverStepPlan } from './diff';
import type { ResolvedRole } from './resolve';
import { LIST_FIELDS, MAP_FIELDS, type ListField, type MapField } from './role-model';

/** Where the new account lands and what it carries from the start: google.createUser's parameters. */
export interface AccountParams {
  orgUnitPath?: string;
  customSchemas?: Record<string, Record<string, unknown>>;
}

/** Steps the joiner plan folds into the account's creation. */
const AT_CREATION = new Set(['move-org-unit', 'update-custom-schemas']);

/**
 * A joiner's access: everything the role grants, added (the diff from nothing). The org unit and the custom
 * schema values are set when the account is created, so they are not steps of their own.
 */
export function joinerPlan(role: ResolvedRole): { account: AccountParams; steps: MoverStepPlan[] } {
  const all = moverSteps(diffRoles(undefined, role), { graceDays: 0 });
  const orgUnitPath = all.find((s) => s.id === 'move-org-unit')?.params.orgUnitPath as string | undefined;
  const customSchemas = all.find((s) => s.id === 'update-custom-schemas')?.params.set as AccountParams['customSchemas'];
  return {
    account: { ...(orgUnitPath ? { orgUnitPath } : {}), ...(customSchemas && Object.keys(customSchemas).length ? { customSchemas } : {}) },
    steps: all.filter((s) => !AT_CREATION.has(s.id)).map((s) => ({ ...s, after: s.after?.filter((id) => !AT_CREATION.has(id)) })),
  };
}

/** A mover's change: what only the new role has is added, what only the old one had is removed after the grace period. */
export function moverPlan(previous: ResolvedRole | undefined, role: ResolvedRole, graceDays: number): MoverStepPlan[] {
  return moverSteps(diffRoles(previous, role), { graceDays });
}

/** A role that grants nothing: what a leaver's access is diffed to. */
export function noRole(name = '(no role)'): ResolvedRole {
  return {
    name,
    chain: [],
    single: {},
    lists: Object.fromEntries(LIST_FIELDS.map((f) => [f, []])) as unknown as Record<ListField, []>,
    maps: Object.fromEntries(MAP_FIELDS.map((f) => [f, {}])) as unknown as Record<MapField, Record<string, never>>,
  };
}

/**
 * A leaver's revocation of what their role granted: the steps of the diff from the role held to no role, exactly
 * what a mover to an empty role would lose, so the joiner's grants and the leaver's revocations come from one
 * model and cannot drift apart. `covered` leaves out a step the leaver's playbook already takes further (every
 * group, every license, the whole Connect agent). All are due at once (no grace): the caller puts them at the cut-off.
 */
export function leaverPlan(held: ResolvedRole, covered: (step: MoverStepPlan) => boolean = () => false): MoverStepPlan[] {
  return moverSteps(diffRoles(held, noRole()), { graceDays: 0 })
    .filter((s) => !covered(s))
    .map(({ after: _after, ...s }) => ({ ...s, offsetDays: 0 }));
}
