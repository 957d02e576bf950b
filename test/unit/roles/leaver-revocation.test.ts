/**
 * A leaver revokes every grant their role made, derived from the same role model as the joiner and the mover:
 * the plan's steps from the diff "held role → no role", and the drift check that walks every action a joiner or
 * a mover's add phase can plan (and the hire playbook's steps) and fails when the leaver has no counterpart.
 */
import { parsePlaybooks, playbooks as defaultPlaybooks } from '../../../config/playbooks';
import type { Playbooks } from '../../../config/schema';
import { ACTION_NAMES, restoreRuleFor } from '../../../lambdas/actions/catalog';
import type { PlannedEvent, Run, Step } from '../../../lambdas/engine/model';
import { planCancelRun, planRun, type PlannedRole } from '../../../lambdas/engine/plan';
import { leaverRole } from '../../../lambdas/engine/role-planning';
import { planRestoreSteps } from '../../../lambdas/engine/restore';
import { diffRoles, moverSteps } from '../../../lambdas/roles/diff';
import { renderRole } from '../../../lambdas/roles/render';
import type { ResolvedRole } from '../../../lambdas/roles/resolve';
import { joinerPlan, leaverPlan, noRole } from '../../../lambdas/roles/role-plan';
import { GRANT_FIELD_NAMES, GRANT_FIELDS, type GrantField, type ListField, type MapField, type SingleField } from '../../../lambdas/roles/role-model';
import { settings, terminateEvent } from '../../support/builders';

const now = new Date('2026-11-23T10:00:00Z');

/**
 * What undoes each grant a joiner or a mover's add phase can make, in a leaver's plan (the playbook's steps and
 * those planned from the role). A joiner action missing here fails the drift test below: a new grant (a Jira group,
 * a Zendesk seat, a SCIM app) must come with the leaver step that takes it back, planned from the same role model.
 */
const REVOKED_BY: Record<string, { by: readonly string[]; why: string }> = {
  'google.createUser': { by: ['google.signOut', 'google.resetPassword', 'google.suspendUser'], why: 'the account: signed out and its password replaced at the cut-off, suspended later' },
  'google.createUser:orgUnitPath': { by: ['google.moveToOrgUnit'], why: 'the role\'s org unit: the account is moved to /Offboarded' },
  'google.createUser:customSchemas': { by: ['google.updateCustomSchemas'], why: 'the role\'s custom schema fields, cleared at the cut-off' },
  'google.moveToOrgUnit': { by: ['google.moveToOrgUnit'], why: 'the role\'s org unit: the account is moved to /Offboarded' },
  'google.assignLicense': { by: ['google.removeLicenses'], why: 'every license, removed' },
  'google.addToGroups': { by: ['google.removeFromGroups'], why: 'every group, left' },
  'google.shareCalendars': { by: ['google.unshareCalendars'], why: 'the role\'s team calendars, unshared at the cut-off' },
  'google.updateCustomSchemas': { by: ['google.updateCustomSchemas'], why: 'the role\'s custom schema fields, cleared at the cut-off' },
  'connect.createAgent': { by: ['connect.setAgentOffline', 'connect.removeAgent'], why: 'the Connect agent: offline, then removed' },
  'connect.updateAgent': { by: ['connect.removeAgent'], why: 'the Connect agent, removed whole' },
  'zendesk.provisionUser': { by: ['zendesk.suspendUser'], why: 'the Zendesk user: open tickets handed over, out of every group, suspended' },
  'zendesk.updateUser': { by: ['zendesk.suspendUser'], why: 'the Zendesk user, suspended whole' },
  'scim.provisionUser': { by: ['scim.deactivateUser'], why: 'the user in a SCIM app: memberships removed and active: false' },
  'scim.addToGroups': { by: ['scim.deactivateUser'], why: "the SCIM app's groups, left when the user is deactivated" },
  'front.provisionTeammate': { by: ['front.deactivateTeammate'], why: 'the Front teammate: out of every team and shared inbox, deactivated (SCIM active: false)' },
  'front.updateTeammate': { by: ['front.deactivateTeammate'], why: "the mover's added Front teams and inboxes, left when the teammate is deactivated" },
  'nextcloud.provisionUser': { by: ['nextcloud.disableUser'], why: 'the Nextcloud user: out of every group, disabled (its files kept)' },
  'nextcloud.updateUser': { by: ['nextcloud.disableUser'], why: "the mover's added Nextcloud groups and quota, gone when the user is disabled" },
  'openproject.provisionUser': { by: ['openproject.lockUser'], why: 'the OpenProject user: locked, no sign-in (its work packages kept)' },
  'google.sendWelcomeEmail': { by: ['google.resetPassword'], why: 'the initial password its link reveals is replaced' },
  'google.sendJoinerSummary': { by: [], why: 'a mail to the manager: grants nothing' },
  'forward.event': { by: ['forward.event'], why: 'downstream systems get the leaver\'s event too, and revoke their own grants' },
};

/**
 * Role properties that grant nothing, so no leaver step takes them back: a joiner or a mover plans no step from them
 * (checked below). Each with why; a property that does grant access belongs in REVOKED_BY through its joiner action.
 */
const NOT_GRANTS: Partial<Record<GrantField, string>> = {
  manualTasks: 'what no action does: listed in the joiner summary and the leaver notice, nothing is granted',
  mailRetention: "a leaver policy, not a grant: google.retainMail keeps a leaver's mail as the role held says, in place of the stage's setting",
};

/** A value per grant field, named after it, so a step that revokes it is seen to name it. */
const valueOf = (field: GrantField, variant: string) => (field === 'googleOrgUnit' ? `/${field}-${variant}` : `${field}-${variant}`);
const mapKey = (field: GrantField) => `Granted.${field}`;

/** A role granting the listed fields (every field the role model knows by default), each with a value of its own. */
function roleGranting(fields: readonly GrantField[] = GRANT_FIELD_NAMES, variant = 'a'): ResolvedRole {
  const role = noRole(`grants-${fields.length === GRANT_FIELD_NAMES.length ? 'everything' : fields.join('+')}-${variant}`);
  for (const field of fields) {
    const grant = { value: valueOf(field, variant), grantedBy: role.name };
    const kind = GRANT_FIELDS[field].kind;
    if (kind === 'single') role.single[field as SingleField] = grant;
    else if (kind === 'list') role.lists[field as ListField] = [grant];
    else role.maps[field as MapField] = { [mapKey(field)]: grant };
  }
  return role;
}

interface JoinerGrant {
  /** The action, or `google.createUser:<param>` for a grant folded into the account's creation. */
  action: string;
  /** Where it comes from: a joiner step, a mover's add step, the hire playbook. */
  from: string;
}

/** Every grant a joiner into `role`, or a mover into it from another role (its add phase), is planned to make. */
function joinerGrants(role: ResolvedRole, playbooks: Playbooks): JoinerGrant[] {
  const joiner = joinerPlan(role);
  const grants: JoinerGrant[] = joiner.steps.map((s) => ({ action: s.action, from: `joiner step ${s.id}` }));
  for (const param of Object.keys(joiner.account)) grants.push({ action: `google.createUser:${param}`, from: `the joiner account's ${param}` });
  // A mover into the role from one granting other values of every field: the add phase's changes (a license changed in place, an agent updated).
  const other = roleGranting(GRANT_FIELD_NAMES, 'b');
  for (const s of moverSteps(diffRoles(other, role), { graceDays: 7 }).filter((x) => x.phase === 'add')) grants.push({ action: s.action, from: `mover add step ${s.id}` });
  for (const s of playbooks.hire.steps.filter((x) => x.enabled)) grants.push({ action: s.action, from: `hire playbook step ${s.id}` });
  return grants;
}

const planned = (role: ResolvedRole, runId = 'run-hire'): PlannedRole => ({ name: role.name, resolved: role, text: renderRole(role), grantedByRunId: runId, planned: 1 });
const leaverRun = (role: ResolvedRole | undefined, playbooks: Playbooks = defaultPlaybooks, event: PlannedEvent = terminateEvent({ urgent: false })) =>
  planRun(event, playbooks, now, settings, role ? planned(role) : undefined);

/**
 * Whether a leaver's step revokes a grant: a counterpart action that acts on everything (a playbook step), or one
 * planned from the role that names what the role granted (`mark`: the value, or a custom schema's `schema.field`).
 */
function revokes(step: Step, grant: JoinerGrant, mark: string): boolean {
  if (!REVOKED_BY[grant.action]?.by.includes(step.action)) return false;
  return !step.fromRole || JSON.stringify(step.params).includes(mark);
}

describe('the drift check: every joiner grant has its leaver counterpart, from the same role model', () => {
  const everything = roleGranting();
  const grants = joinerGrants(everything, defaultPlaybooks);

  it('walks the joiner and mover actions of a role granting every field the role model knows, and the hire playbook', () => {
    const actions = new Set(grants.map((g) => g.action));
    // What the role model plans today; a new field (a connector's grant) adds to this set, and must be in REVOKED_BY.
    for (const a of ['google.createUser', 'google.assignLicense', 'google.addToGroups', 'google.shareCalendars', 'connect.createAgent', 'connect.updateAgent', 'zendesk.provisionUser', 'zendesk.updateUser', 'front.provisionTeammate', 'front.updateTeammate', 'nextcloud.provisionUser', 'nextcloud.updateUser', 'openproject.provisionUser', 'google.createUser:customSchemas']) {
      expect(actions).toContain(a);
    }
  });

  it.each(grants.map((g) => [g.action, g.from, g] as const))('%s (%s) has a leaver counterpart declared, each a catalog action', (action, _from, _grant) => {
    const entry = REVOKED_BY[action];
    if (!entry) throw new Error(`${action} grants access to a joiner but no leaver step is known to take it back: plan one from the role model (lambdas/roles/role-plan.ts leaverPlan) or the terminate playbook, and add it to REVOKED_BY`);
    for (const by of entry.by) expect(ACTION_NAMES).toContain(by);
  });

  it.each(Object.entries(NOT_GRANTS))('%s grants nothing (%s): no joiner, mover or leaver step is planned from it', (field) => {
    const role = roleGranting([field as GrantField]);
    expect(joinerGrants(role, parsePlaybooks({ hire: { steps: [] }, role_change: { steps: [] }, terminate: { steps: [] } }))).toEqual([]);
    expect(leaverRun(role).steps.filter((s) => s.fromRole)).toEqual([]);
  });

  describe.each(GRANT_FIELD_NAMES.map((f) => [f] as const))('a role granting only %s', (field) => {
    const role = roleGranting([field]);
    const leaver = leaverRun(role);
    const its = joinerGrants(role, parsePlaybooks({ hire: { steps: [] }, role_change: { steps: [] }, terminate: { steps: [] } }));
    const mark = GRANT_FIELDS[field].kind === 'map' ? mapKey(field) : valueOf(field, 'a');

    it('every grant a joiner or mover gets from it is revoked by an enabled step of the leaver plan, naming the value where the role gave it', () => {
      for (const grant of its) {
        const counterparts = REVOKED_BY[grant.action]?.by ?? [];
        const found = leaver.steps.filter((s) => revokes(s, grant, mark));
        if (counterparts.length && !found.length) {
          throw new Error(`${grant.from} (${grant.action}) grants ${mark}, but the leaver plan has no ${counterparts.join(' or ')} step that takes it back: steps are ${leaver.steps.map((s) => `${s.stepId} ${s.action} ${JSON.stringify(s.params)}`).join('; ')}`);
        }
      }
    });

    it('plans the revocation at the cut-off, each step marked as from the role and removing', () => {
      const cutoff = leaver.steps.find((s) => s.stepId === 'sign-out')!.dueAt;
      for (const s of leaver.steps.filter((x) => x.fromRole)) expect(s).toMatchObject({ dueAt: cutoff, removes: true, after: [] });
    });

    it("a cancel puts back every revocation the role's steps made (each has a restore rule)", () => {
      for (const s of leaver.steps.filter((x) => x.fromRole)) expect(restoreRuleFor(s.action)).toBeDefined();
    });
  });
});

describe("a leaver's plan from the role held", () => {
  const agent = (() => {
    const role = noRole('support-agent');
    const grant = <T>(value: T) => ({ value, grantedBy: 'support-agent' });
    role.single.googleLicenseSku = grant('1010020027');
    role.lists.googleGroups = [grant('support@example.com')];
    role.lists.googleCalendars = [grant('c_rota@group.calendar.google.com')];
    role.maps.googleCustomSchemas = { 'SAML.role': grant('helpdesk') };
    role.single.connectRoutingProfile = grant('Support-Tier1');
    role.lists.connectSecurityProfiles = [grant('Agent')];
    return role;
  })();

  it("revokes the team calendar and the SAML.role the joiner's role granted, at the cut-off, beside the playbook's wholesale removals", () => {
    const run = leaverRun(agent);
    const fromRole = run.steps.filter((s) => s.fromRole);
    expect(fromRole.map((s) => [s.stepId, s.action, s.params])).toEqual([
      ['unshare-calendars', 'google.unshareCalendars', { calendars: ['c_rota@group.calendar.google.com'] }],
      ['remove-custom-schemas', 'google.updateCustomSchemas', { set: {}, remove: ['SAML.role'] }],
    ]);
    // Every group, every license and the whole agent already go by the playbook's own steps: not planned twice.
    expect(run.steps.filter((s) => s.action === 'google.removeFromGroups').map((s) => s.stepId)).toEqual(['remove-from-groups']);
    expect(run.steps.filter((s) => s.action === 'connect.removeAgent').map((s) => s.stepId)).toEqual(['remove-connect-agent']);
    expect(new Set(fromRole.map((s) => s.dueAt))).toEqual(new Set([run.steps.find((s) => s.stepId === 'sign-out')!.dueAt]));
  });

  it('an urgent leaver revokes them at once, with the lockout', () => {
    const run = leaverRun(agent, defaultPlaybooks, terminateEvent({ urgent: true }));
    for (const s of run.steps.filter((x) => x.fromRole)) expect(s.dueAt).toBe(now.toISOString());
  });

  it("plans the role's own removals when the playbook's wholesale step is turned off, and not when it acts on listed values only", () => {
    const steps = defaultPlaybooks.terminate.steps.map((s) => (s.id === 'remove-from-groups' ? { ...s, enabled: false } : s.id === 'remove-connect-agent' ? { ...s, params: { maxWaitMinutes: 5 } } : s));
    const run = leaverRun(agent, { ...defaultPlaybooks, terminate: { ...defaultPlaybooks.terminate, steps } });
    expect(run.steps.find((s) => s.stepId === 'remove-groups')).toMatchObject({ action: 'google.removeFromGroups', params: { groups: ['support@example.com'] }, fromRole: true });
    // connect.removeAgent with a wait setting still removes the whole agent: its role step has no parameter the playbook narrows.
    expect(run.steps.some((s) => s.fromRole && s.action === 'connect.removeAgent')).toBe(false);
    expect(leaverPlan(agent).map((s) => s.id)).toEqual(['remove-license', 'remove-groups', 'unshare-calendars', 'remove-custom-schemas', 'remove-connect-agent']);
  });

  it('keeps the role held on the run, with the run that granted it, so the console and CLI show it', () => {
    const run = leaverRun(agent);
    expect(run.role).toMatchObject({ name: 'support-agent', resolved: agent, grantedByRunId: 'run-hire', planned: 1 });
    expect(run.role!.text).toContain('support-agent');
    expect(run.role!.errors).toBeUndefined();
  });

  it('finds the role held from the runs (the latest hire or role change not undone), never the catalog', () => {
    const hire = { runId: 'run-hire', type: 'hire', status: 'completed', createdAt: '2026-01-01T00:00:00Z', role: { name: 'support-agent', resolved: agent, planned: 1 } } as unknown as Run;
    expect(leaverRole([hire], 'run-leave', 1)).toMatchObject({ name: 'support-agent', grantedByRunId: 'run-hire' });
    expect(leaverRole([{ ...hire, status: 'cancelled' } as Run], 'run-leave', 1)).toBeUndefined();
    expect(leaverRole([], 'run-leave', 1)).toBeUndefined();
  });

  it('with no role on record plans the playbook alone', () => {
    const run = leaverRun(undefined);
    expect(run.steps.some((s) => s.fromRole)).toBe(false);
    expect(run.role).toBeUndefined();
  });

  it('a cancel after the cut-off restores the calendar and the custom schema field from what the steps recorded', () => {
    const run = leaverRun(agent);
    const done = run.steps.map((s): Step => {
      if (s.stepId === 'unshare-calendars') return { ...s, status: 'succeeded', result: { removed: { calendars: [{ calendarId: 'c_rota@group.calendar.google.com', role: 'reader' }] }, notShared: [], ownerKept: [] } };
      if (s.stepId === 'remove-custom-schemas') return { ...s, status: 'succeeded', result: { previous: { SAML: { role: 'helpdesk' } }, changed: ['SAML.role'] } };
      return s;
    });
    const cancel = planCancelRun({ eventId: 'hr-cancel', type: 'cancel', cancelsEventId: run.eventId } as never, { ...run, steps: done }, now, settings, restoreRuleFor);
    expect(cancel.steps.map((s) => [s.stepId, s.action])).toEqual([
      ['restore-unshare-calendars', 'google.restoreCalendars'],
      ['restore-remove-custom-schemas', 'google.restoreCustomSchemas'],
    ]);
    // A rehire's own role shares its calendars: the old role's are not given back; its custom schema fields are.
    expect(planRestoreSteps(done, restoreRuleFor, now.toISOString(), 'rehire').map((s) => s.action)).toEqual(['google.restoreCustomSchemas']);
  });
});
