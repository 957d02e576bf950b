/**
 * The sample OpenProject instance `npm start` and the tests run against: the Community project, the Member task type
 * (id 8) next to Task, the member task workflow's statuses (New, In specification, specified, to be scheduled,
 * scheduled, in progress, Closed), the "Employee ID" user custom field (customField1), the admin the API token belongs
 * to, Grace (`grace.hopper`) and Ada (`ada.lovelace`) bound to their employee ids, and `charles` made by hand at Charles's address (bound to no one).
 */
import { SAMPLE_EMPLOYEE_IDS } from '../google/sample';
import type { OpenProjectEmulator } from './openproject-emulator';

export const SAMPLE_OPENPROJECT = {
  project: { id: 3, identifier: 'community', name: 'Community' },
  types: { task: 1, memberTask: 8 },
  statuses: { new: 1, inSpecification: 11, specified: 12, toBeScheduled: 13, scheduled: 14, inProgress: 15, closed: 16 },
  employeeIdField: 'customField1',
} as const;

export function seedOpenProjectSample<E extends OpenProjectEmulator>(op: E): E {
  const s = SAMPLE_OPENPROJECT;
  op.addProject(s.project.identifier, s.project.name, s.project.id);
  op.addType('Task', s.types.task);
  op.addType('Member task', s.types.memberTask);
  op.addStatus('New', { id: s.statuses.new, isDefault: true });
  op.addStatus('In specification', { id: s.statuses.inSpecification });
  op.addStatus('specified', { id: s.statuses.specified });
  op.addStatus('to be scheduled', { id: s.statuses.toBeScheduled });
  op.addStatus('scheduled', { id: s.statuses.scheduled });
  op.addStatus('in progress', { id: s.statuses.inProgress });
  op.addStatus('Closed', { id: s.statuses.closed, isClosed: true });
  op.state.userCustomFields[s.employeeIdField] = 'Employee ID';
  if (!op.userByLogin('grace.hopper')) op.addUser({ login: 'grace.hopper', firstName: 'Grace', lastName: 'Hopper', email: 'grace.hopper@example.com', customFields: { [s.employeeIdField]: SAMPLE_EMPLOYEE_IDS.grace } });
  if (!op.userByLogin('ada.lovelace')) op.addUser({ login: 'ada.lovelace', firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@example.com', customFields: { [s.employeeIdField]: SAMPLE_EMPLOYEE_IDS.ada } });
  if (!op.userByLogin('charles')) op.addUser({ login: 'charles', firstName: 'Charles', lastName: 'Babbage', email: 'charles.babbage@example.com' });
  return op;
}
