/**
 * The sample Front company `npm start` and the tests run against: the teams Support and Sales, the shared inboxes
 * Support and Billing (Support's) and Sales, a teammate template `Support agent`, the admin the API token belongs to,
 * and Grace and Ada as teammates bound to their employee ids (Ada in Support, with both Support inboxes). The sample
 * `support-agent` role names the Support team, both Support inboxes and the template.
 */
import { SAMPLE_EMPLOYEE_IDS } from '../google/sample';
import type { FrontEmulator } from './front-emulator';

export const SAMPLE_FRONT = {
  teams: { support: 'Support', sales: 'Sales' },
  inboxes: { support: 'Support', billing: 'Billing', sales: 'Sales' },
  template: 'Support agent',
} as const;

export function seedFrontSample<E extends FrontEmulator>(front: E): E {
  const s = SAMPLE_FRONT;
  front.addTemplate(s.template);
  front.addTemplate('Sales rep');
  const support = front.addTeam(s.teams.support);
  const sales = front.addTeam(s.teams.sales);
  const supportInbox = front.addInbox(s.inboxes.support, { team: support });
  const billing = front.addInbox(s.inboxes.billing, { team: support });
  const salesInbox = front.addInbox(s.inboxes.sales, { team: sales });
  const admin = front.addTeammate({ email: 'admin@example.com', firstName: 'Workspace', lastName: 'Admin', isAdmin: true });
  const grace = front.addTeammate({ email: 'grace.hopper@example.com', firstName: 'Grace', lastName: 'Hopper', externalId: SAMPLE_EMPLOYEE_IDS.grace });
  const ada = front.addTeammate({ email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', externalId: SAMPLE_EMPLOYEE_IDS.ada });
  // Each teammate's own (individual) inbox: theirs, never a role's to give or take.
  front.addInbox('Ada Lovelace', { isPrivate: true }).teammateIds.push(String(ada.id));
  support.memberIds.push(String(admin.id), String(grace.id), String(ada.id));
  sales.memberIds.push(String(admin.id));
  supportInbox.teammateIds.push(String(grace.id), String(ada.id));
  billing.teammateIds.push(String(ada.id));
  salesInbox.teammateIds.push(String(admin.id));
  return front;
}
