/**
 * The sample Zendesk account `npm start` and the tests run against: the groups Support, Tier 2 and Triage (where
 * leavers' open tickets go), a custom role, the admin the API token belongs to, Grace and Ada as agents bound to their
 * employee ids, and a few tickets assigned to Ada (two still open, one solved).
 */
import { SAMPLE_EMPLOYEE_IDS } from '../google/sample';
import type { ZendeskEmulator } from './zendesk-emulator';

export const SAMPLE_ZENDESK = {
  groups: { support: 'Support', tier2: 'Tier 2', triage: 'Triage' },
  customRole: 'Light agent',
  /** The group the local stage hands leavers' open tickets to. */
  leaverTicketGroup: 'Triage',
} as const;

export function seedZendeskSample<E extends ZendeskEmulator>(z: E): E {
  const s = SAMPLE_ZENDESK;
  const support = z.addGroup(s.groups.support, 'First line support');
  const tier2 = z.addGroup(s.groups.tier2, 'Escalations');
  z.addGroup(s.groups.triage, 'Unassigned tickets waiting for an agent');
  z.addCustomRole(s.customRole, 'Can comment privately, cannot solve tickets');
  z.createUser({ name: 'Workspace Admin', email: 'admin@example.com', role: 'admin', verified: true });
  const grace = z.createUser({ name: 'Grace Hopper', email: 'grace.hopper@example.com', role: 'agent', external_id: SAMPLE_EMPLOYEE_IDS.grace, verified: true });
  const ada = z.createUser({ name: 'Ada Lovelace', email: 'ada.lovelace@example.com', role: 'agent', external_id: SAMPLE_EMPLOYEE_IDS.ada, verified: true });
  const customer = z.createUser({ name: 'Charles Babbage', email: 'charles@customer.example', role: 'end-user', verified: true });
  for (const [user, group] of [[grace, support], [grace, tier2], [ada, support]] as const) z.createMembership({ user_id: user.id, group_id: group.id });
  z.addTicket({ subject: 'The difference engine will not start', status: 'open', assigneeId: ada.id, groupId: support.id, requesterId: customer.id });
  z.addTicket({ subject: 'Invoice for the analytical engine', status: 'pending', assigneeId: ada.id, groupId: support.id, requesterId: customer.id });
  z.addTicket({ subject: 'Punch cards arrived damaged', status: 'solved', assigneeId: ada.id, groupId: support.id, requesterId: customer.id });
  z.addTicket({ subject: 'Compiler question', status: 'open', assigneeId: grace.id, groupId: tier2.id, requesterId: customer.id });
  return z;
}
