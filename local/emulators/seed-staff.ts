/**
 * Seeds n employees into the Google and Connect emulators, each set up like the sample's Ada (manager,
 * groups, an OAuth token, an app password, backup codes, a device, a delegate, an external forwarding
 * address, a license, a Connect agent), and answers the HR records that describe them: the load for
 * layoff tests and benchmarks.
 */
import type { ConnectEmulator } from './connect/connect-emulator';
import { SAMPLE_CONNECT } from './connect/connect-sample';
import { CONNECT_EMPLOYEE_TAG } from '../../lambdas/providers/connect/employee-tag';
import { GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD, type GoogleWorkspaceEmulator } from './google';

/** An employee as the HR system describes them in an event. */
export interface StaffRecord {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  managerEmail: string;
  timezone: string;
}

export interface SeedStaffOptions {
  /** Distinguishes one seeding from another in the same tenant: addresses, ids and group names start with it. */
  prefix: string;
  /** Staff per team group (each employee is in the all-staff group and one team group). Default 10. */
  teamSize?: number;
  timezone?: string;
}

/** What a seeded employee holds, so a test can say what the cut-off must remove. */
export const SEEDED_PER_EMPLOYEE = { groups: 2, tokens: 1, appPasswords: 1, devices: 1, delegates: 1, externalForwardingAddresses: 1 } as const;

/** Letters and digits only, lower case: safe in an address, a group name and a Connect username. */
function slug(prefix: string): string {
  const s = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '');
  if (!s) throw new Error(`seedStaff: prefix "${prefix}" has no letters or digits`);
  return s;
}

/**
 * Creates the groups and n employees, in teams of `teamSize`, each team with its own manager and the colleague who is
 * each of its mailboxes' delegate: Gmail lets one user be delegate of about 10 mailboxes, so a manager of more than
 * that could not take every leaver's mailbox (docs/google-refusals.md, "Gmail"). Seats of Business Standard are raised
 * to fit, so every employee holds a license as Ada does; managers and colleagues hold one too.
 */
export function seedStaff(
  emulators: { google: GoogleWorkspaceEmulator; connect: ConnectEmulator },
  n: number,
  options: SeedStaffOptions,
): StaffRecord[] {
  const { google, connect } = emulators;
  const p = slug(options.prefix);
  const domain = google.domain;
  const timezone = options.timezone ?? 'Europe/Berlin';
  const teamSize = options.teamSize ?? 10;
  const width = Math.max(4, String(n).length);

  const managerOf = (team: number) => `${p}.manager${team}@${domain}`;
  const colleagueOf = (team: number) => `${p}.colleague${team}@${domain}`;
  // A tenant saved before staff came in teams has one unnumbered <prefix>.manager@ (and colleague): the same prefix again.
  if (google.user(managerOf(1)) || google.user(`${p}.manager@${domain}`)) {
    throw new Error(`seedStaff: prefix "${options.prefix}" was seeded into this tenant already; use another`);
  }
  const allStaff = `${p}-all@${domain}`;

  const seats = google.seats(GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD);
  // Room for n more licenses, keeping the seats the tenant already had free.
  google.setSkuSeats(GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD, (seats?.total ?? 0) + n);

  const staff: StaffRecord[] = [];
  for (let i = 1; i <= n; i++) {
    const number = String(i).padStart(width, '0');
    const local = `${p}.${number}`;
    const email = `${local}@${domain}`;
    const firstName = 'Staff';
    const lastName = `${p} ${number}`;
    const team = Math.floor((i - 1) / teamSize) + 1;
    const teamGroup = `${p}-team-${team}@${domain}`;
    const manager = managerOf(team);
    const colleague = colleagueOf(team);
    if ((i - 1) % teamSize === 0) {
      const P = p.toUpperCase();
      google.seedUser({ email: manager, employeeId: `${P}-MANAGER-${team}`, givenName: 'Manager', familyName: `${p} ${team}`, orgUnitPath: '/', isEnrolledIn2Sv: true, license: true });
      google.seedUser({ email: colleague, employeeId: `${P}-COLLEAGUE-${team}`, givenName: 'Colleague', familyName: `${p} ${team}`, orgUnitPath: '/', manager, license: true });
      if (team === 1) {
        google.seedGroup({ email: allStaff, name: `All ${p} staff` });
        google.addMember(allStaff, manager, 'OWNER');
      }
      google.seedGroup({ email: teamGroup, name: `${p} team ${team}` });
      google.addMember(teamGroup, manager, 'OWNER');
    }

    google.seedUser({
      email,
      // Bound to the id HR sends for them, as a run's own hire would have bound it.
      employeeId: `${p.toUpperCase()}-${number}`,
      givenName: firstName,
      familyName: lastName,
      orgUnitPath: '/',
      manager,
      isEnrolledIn2Sv: true,
      customSchemas: { Employment: { employeeId: `${p.toUpperCase()}-${number}` } },
      driveFiles: 3,
      calendarEvents: 2,
    });
    google.assignLicense(email, GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD);
    google.addMember(allStaff, email);
    // The first of each team manages its group, as Ada manages Engineering.
    google.addMember(teamGroup, email, (i - 1) % teamSize === 0 ? 'MANAGER' : 'MEMBER');
    google.seedToken(email, { clientId: '1234567890-slack.apps.googleusercontent.com', displayText: 'Slack', scopes: ['openid', 'email', 'profile'] });
    google.seedAsp(email, 'Mail client on laptop');
    google.seedVerificationCodes(email);
    google.seedDevice(email, { model: 'Pixel 8', os: 'Android 14', type: 'ANDROID' });
    google.seedDelegate(email, colleague);
    google.seedForwardingAddress(email, `${local}@home.example`);

    connect.createUser(SAMPLE_CONNECT.instanceId, {
      Username: local,
      IdentityInfo: { FirstName: firstName, LastName: lastName, Email: email },
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 30 },
      RoutingProfileId: SAMPLE_CONNECT.routingProfiles.supportTier1,
      SecurityProfileIds: [SAMPLE_CONNECT.securityProfiles.agent],
      HierarchyGroupId: SAMPLE_CONNECT.hierarchyGroups.tier1,
      Tags: { team: 'support', [CONNECT_EMPLOYEE_TAG]: `${p.toUpperCase()}-${number}` },
    });

    staff.push({ id: `${p.toUpperCase()}-${number}`, firstName, lastName, email, managerEmail: manager, timezone });
  }
  return staff;
}
