/**
 * The Front steps a role diff calls for (docs/front.md): a teammate to provision, to change, or to deactivate,
 * depending on whether each role gives one. A role gives a Front teammate when it names a Front team, inbox or
 * teammate template. Joiner = the diff from nothing, leaver = the diff to nothing; a mover's old teams and inboxes go
 * after the grace period, after the add step. Pure.
 */
import type { RoleDiff, SingleDiff } from '../diff';
import { values, type StepPlanner } from './planner';

const before = (d: SingleDiff | undefined) => d?.kept?.value ?? d?.changed?.from?.value;
const after = (d: SingleDiff | undefined) => d?.kept?.value ?? d?.changed?.to?.value;

export function frontSteps(diff: RoleDiff, { add, remove }: StepPlanner): void {
  const { single, lists } = diff;
  const teams = lists.frontTeams;
  const inboxes = lists.frontInboxes;
  const oldTeams = [...teams.kept, ...teams.removed];
  const newTeams = [...teams.kept, ...teams.added];
  const oldInboxes = [...inboxes.kept, ...inboxes.removed];
  const newInboxes = [...inboxes.kept, ...inboxes.added];
  const had = Boolean(before(single.frontTemplate)) || oldTeams.length > 0 || oldInboxes.length > 0;
  const has = Boolean(after(single.frontTemplate)) || newTeams.length > 0 || newInboxes.length > 0;
  if (has && !had) {
    const template = after(single.frontTemplate);
    add('provision-front-teammate', 'front.provisionTeammate', {
      ...(newTeams.length ? { teams: values(newTeams) } : {}),
      ...(newInboxes.length ? { inboxes: values(newInboxes) } : {}),
      ...(template ? { template } : {}),
    });
  } else if (has && had) {
    // A template shapes a teammate when Front makes it: a mover's new template changes nothing on the one they have.
    const update = { ...(teams.added.length ? { addTeams: values(teams.added) } : {}), ...(inboxes.added.length ? { addInboxes: values(inboxes.added) } : {}) };
    if (Object.keys(update).length) add('update-front-teammate', 'front.updateTeammate', update);
    const removal = { ...(teams.removed.length ? { teams: values(teams.removed) } : {}), ...(inboxes.removed.length ? { inboxes: values(inboxes.removed) } : {}) };
    if (Object.keys(removal).length) remove('remove-front-access', 'front.removeAccess', removal, 'update-front-teammate');
  } else if (had && !has) {
    // A leaver (or a mover to a role without Front): out of every team and shared inbox, deactivated.
    const template = before(single.frontTemplate);
    const granted = { ...(oldTeams.length ? { teams: values(oldTeams) } : {}), ...(oldInboxes.length ? { inboxes: values(oldInboxes) } : {}), ...(template ? { template } : {}) };
    remove('deactivate-front-teammate', 'front.deactivateTeammate', { granted });
  }
}
