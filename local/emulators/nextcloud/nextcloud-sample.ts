/**
 * The sample Nextcloud server `npm start` and the tests run against: the groups Engineering, Analytical Engine and
 * Support, the admin the app password belongs to, Grace and Ada as users bound to their employee ids (Ada in
 * Engineering, 10 GB), a user `charles` made by hand at Charles's address (bound to no one), and the newcomer CSV in
 * the admin's `HR/newcomers` folder. The sample `engineer` role names Engineering and a 10 GB quota.
 */
import { SAMPLE_EMPLOYEE_IDS } from '../google/sample';
import type { NextcloudEmulator } from './nextcloud-emulator';

export const SAMPLE_NEXTCLOUD = {
  groups: { engineering: 'Engineering', analyticalEngine: 'Analytical Engine', support: 'Support' },
  quota: '10 GB',
  newcomersFolder: 'HR/newcomers',
} as const;

export function seedNextcloudSample<E extends NextcloudEmulator>(nextcloud: E): E {
  const s = SAMPLE_NEXTCLOUD;
  for (const g of Object.values(s.groups)) nextcloud.addGroup(g);
  nextcloud.addUser({ id: SAMPLE_EMPLOYEE_IDS.grace, email: 'grace.hopper@example.com', displayname: 'Grace Hopper', groups: [s.groups.engineering], lastLogin: Date.parse('2026-11-20T09:00:00Z') });
  nextcloud.addUser({ id: SAMPLE_EMPLOYEE_IDS.ada, email: 'ada.lovelace@example.com', displayname: 'Ada Lovelace', groups: [s.groups.engineering], quota: 10 * 1024 ** 3, lastLogin: Date.parse('2026-11-28T08:30:00Z') });
  nextcloud.addUser({ id: 'charles', email: 'charles.babbage@example.com', displayname: 'Charles Babbage', groups: [s.groups.analyticalEngine] });
  nextcloud.putFile('admin', `${s.newcomersFolder}/README.txt`, 'Newcomer CSV files go in this folder.\n');
  return nextcloud;
}
