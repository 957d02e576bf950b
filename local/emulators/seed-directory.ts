/**
 * Seeds n accounts into every connected system's emulator, each bound to its employee id the way a run binds it
 * (Google externalIds, a Connect tag, a Zendesk external_id, a SCIM and Front SCIM externalId, the Nextcloud user id,
 * the OpenProject employee id custom field),
 * with team groups of 100 and a last sign-in where the system keeps one: the directory consolidation reads in its tests
 * and its read-cost benchmark.
 */
import { CONNECT_EMPLOYEE_TAG } from '../../lambdas/providers/connect/employee-tag';
import { SAMPLE_CONNECT } from './connect/connect-sample';
import type { ProviderEmulators } from './provider-emulators';
import { GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD } from './google';
import { SAMPLE_OPENPROJECT } from './openproject/openproject-sample';

export interface SeededAccount {
  employeeId: string;
  email: string;
  /** The last sign-in seeded into Google and Nextcloud. */
  lastSignInAt: string;
}

export const SEEDED_TEAM_SIZE = 100;

/** Seeds `n` accounts per system; `prefix` (letters and digits) keeps one seeding apart from another. */
export function seedDirectory(emulators: Pick<ProviderEmulators, 'google' | 'connect' | 'zendesk' | 'scim' | 'front' | 'nextcloud' | 'openproject'>, n: number, prefix: string): SeededAccount[] {
  const { google, connect, zendesk, scim, front, nextcloud, openproject } = emulators;
  const p = prefix.toLowerCase().replace(/[^a-z0-9]/g, '');
  const width = Math.max(5, String(n).length);
  const seats = google.seats(GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD);
  google.setSkuSeats(GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD, (seats?.total ?? 0) + n);
  const wiki = scim.app('wiki');
  const out: SeededAccount[] = [];
  google.batch(() => {
    for (let i = 1; i <= n; i++) {
      const number = String(i).padStart(width, '0');
      const employeeId = `${p.toUpperCase()}-${number}`;
      const local = `${p}.${number}`;
      const email = `${local}@${google.domain}`;
      const team = Math.floor((i - 1) / SEEDED_TEAM_SIZE) + 1;
      const lastSignInAt = new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000).toISOString();
      const group = `${p}-team-${team}@${google.domain}`;
      if ((i - 1) % SEEDED_TEAM_SIZE === 0) google.seedGroup({ email: group, name: `${p} team ${team}` });
      google.seedUser({ email, employeeId, givenName: 'Staff', familyName: `${p} ${number}`, orgUnitPath: '/', lastLoginTime: lastSignInAt });
      google.addMember(group, email);
      google.assignLicense(email, GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD);
      connect.createUser(SAMPLE_CONNECT.instanceId, {
        Username: local,
        IdentityInfo: { FirstName: 'Staff', LastName: `${p} ${number}`, Email: email },
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 30 },
        RoutingProfileId: SAMPLE_CONNECT.routingProfiles.supportTier1,
        SecurityProfileIds: [SAMPLE_CONNECT.securityProfiles.agent],
        Tags: { [CONNECT_EMPLOYEE_TAG]: employeeId },
      });
      zendesk.createUser({ name: `Staff ${p} ${number}`, email, role: 'agent', external_id: employeeId, verified: true });
      wiki.addUser({ userName: email, externalId: employeeId, displayName: `Staff ${p} ${number}` });
      front.scim.addUser({ userName: email, externalId: employeeId, displayName: `Staff ${p} ${number}` });
      nextcloud.addUser({ id: employeeId, email, displayname: `Staff ${p} ${number}`, groups: ['Engineering'], lastLogin: Date.parse(lastSignInAt) });
      openproject.addUser({ login: local, firstName: 'Staff', lastName: `${p} ${number}`, email, customFields: { [SAMPLE_OPENPROJECT.employeeIdField]: employeeId } });
      out.push({ employeeId, email, lastSignInAt });
    }
  });
  return out;
}
