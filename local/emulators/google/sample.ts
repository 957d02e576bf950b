/** The sample tenant example.com that `npm start` and tests begin from: a leaver (Ada), her manager (Grace), and what she leaves behind. */
import { ARCHIVED_USER_PRODUCT_ID, GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD, SKU_BUSINESS_STANDARD_ARCHIVED, SKU_BUSINESS_STARTER, SKU_BUSINESS_STARTER_ARCHIVED } from './catalog';
import { GoogleWorkspaceEmulator, type GoogleEmulatorOptions } from './emulator';

export interface SampleUser {
  id: string;
  email: string;
  /** The HR employee id the account is bound to (externalIds of type organization); the admin's is bound to none. */
  employeeId?: string;
}

/** The employee ids the sample's accounts are bound to: Ada is the sample events' E100. */
export const SAMPLE_EMPLOYEE_IDS = { grace: 'E050', ada: 'E100', alan: 'E101', katherine: 'E102', charles: 'E090' } as const;

export interface SampleTenant {
  domain: string;
  customerId: string;
  users: Record<'admin' | 'grace' | 'ada' | 'alan' | 'katherine' | 'charles', SampleUser>;
  groups: { allStaff: string; engineering: string; analyticalEngine: string };
  /** Team calendars (owned by the admin) a joiner's role may share. */
  calendars: { engineering: string; support: string; escalations: string; allHands: string };
  adaDeviceId: string;
}

/** Seeds the sample tenant into an emulator (saved once, if it keeps a file) and answers what it made. */
export function seedSample(g: GoogleWorkspaceEmulator): SampleTenant {
  return g.batch(() => seedInto(g));
}

/** Opens the tenant saved at filePath, or creates it with the sample tenant when there is none yet. */
export function openSampleTenant(filePath: string, options: Omit<GoogleEmulatorOptions, 'filePath'> = {}): GoogleWorkspaceEmulator {
  const emulator = new GoogleWorkspaceEmulator({ ...options, filePath });
  if (emulator.isEmpty) {
    seedSample(emulator);
    emulator.save();
  }
  return emulator;
}

function seedInto(g: GoogleWorkspaceEmulator): SampleTenant {
  g.setSkuSeats(GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STARTER, 5);
  g.setSkuSeats(GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD, 2);
  // Archived User seats of both editions, for a stage whose mailRetention.method is archived-user-license.
  g.setSkuSeats(ARCHIVED_USER_PRODUCT_ID, SKU_BUSINESS_STARTER_ARCHIVED, 1);
  g.setSkuSeats(ARCHIVED_USER_PRODUCT_ID, SKU_BUSINESS_STANDARD_ARCHIVED, 1);
  g.seedOrgUnit('/Staff', 'Everyone employed');
  g.seedOrgUnit('/Offboarded', 'Suspended accounts kept for retention');

  const pick = (u: { id: string; primaryEmail: string; extra: Record<string, unknown> }): SampleUser => {
    const bound = (u.extra.externalIds as { type: string; value: string }[] | undefined)?.find((x) => x.type === 'organization')?.value;
    return { id: u.id, email: u.primaryEmail, ...(bound ? { employeeId: bound } : {}) };
  };
  const ids = SAMPLE_EMPLOYEE_IDS;
  const admin = pick(g.seedUser({ email: 'admin@example.com', givenName: 'Workspace', familyName: 'Admin', isAdmin: true, isEnrolledIn2Sv: true, isEnforcedIn2Sv: true }));
  const grace = pick(
    g.seedUser({ email: 'grace.hopper@example.com', employeeId: ids.grace, givenName: 'Grace', familyName: 'Hopper', orgUnitPath: '/Staff', isEnrolledIn2Sv: true, driveFiles: 20, calendarEvents: { meetings: 24, past: 6 } }),
  );
  const ada = pick(
    g.seedUser({
      email: 'ada.lovelace@example.com',
      employeeId: ids.ada,
      givenName: 'Ada',
      familyName: 'Lovelace',
      orgUnitPath: '/Staff',
      manager: grace.email,
      isEnrolledIn2Sv: true,
      customSchemas: { Employment: { employeeId: 'E1001', costCenter: 'R&D' } },
      driveFiles: 42,
      privateDriveFiles: 7,
      // Of her 12 events a transfer moves the 8 upcoming meetings; the past, private and solo ones stay.
      calendarEvents: { meetings: 8, past: 2, private: 1, solo: 1 },
    }),
  );
  const alan = pick(g.seedUser({ email: 'alan.turing@example.com', employeeId: ids.alan, givenName: 'Alan', familyName: 'Turing', orgUnitPath: '/Staff', manager: grace.email, driveFiles: 5 }));
  const katherine = pick(
    g.seedUser({ email: 'katherine.johnson@example.com', employeeId: ids.katherine, givenName: 'Katherine', familyName: 'Johnson', orgUnitPath: '/Staff', manager: grace.email }),
  );
  // An earlier leaver, already suspended and parked, still holding her seat.
  const charles = pick(
    g.seedUser({ email: 'charles.babbage@example.com', employeeId: ids.charles, givenName: 'Charles', familyName: 'Babbage', orgUnitPath: '/Offboarded', suspended: true, driveFiles: 3 }),
  );

  for (const u of [admin, alan, katherine, charles]) g.assignLicense(u.email, GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STARTER);
  for (const u of [ada, grace]) g.assignLicense(u.email, GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD);

  const allStaff = g.seedGroup({ email: 'all-staff@example.com', name: 'All staff' }).email;
  const engineering = g.seedGroup({ email: 'engineering@example.com', name: 'Engineering' }).email;
  const analyticalEngine = g.seedGroup({ email: 'analytical-engine@example.com', name: 'Analytical Engine project' }).email;
  g.addMember(allStaff, admin.email, 'OWNER');
  for (const u of [grace, ada, alan, katherine]) g.addMember(allStaff, u.email);
  g.addMember(engineering, grace.email, 'OWNER');
  g.addMember(engineering, ada.email, 'MANAGER');
  g.addMember(engineering, alan.email);
  g.addMember(analyticalEngine, ada.email, 'OWNER');
  g.addMember(analyticalEngine, charles.email);

  const calendars = {
    engineering: g.seedCalendar({ summary: 'Engineering', id: 'c_engineering0000000000000000@group.calendar.google.com' }),
    support: g.seedCalendar({ summary: 'Support rota', id: 'c_support000000000000000000000@group.calendar.google.com' }),
    escalations: g.seedCalendar({ summary: 'Support escalations', id: 'c_escalations0000000000000000@group.calendar.google.com' }),
    allHands: g.seedCalendar({ summary: 'All hands', id: 'c_allhands00000000000000000000@group.calendar.google.com' }),
  };

  const adaDeviceId = g.seedDevice(ada.email, { model: 'Pixel 8', os: 'Android 14', type: 'ANDROID' });
  g.seedToken(ada.email, { clientId: '1234567890-slack.apps.googleusercontent.com', displayText: 'Slack', scopes: ['openid', 'email', 'profile'] });
  g.seedToken(ada.email, {
    clientId: '9876543210-zoom.apps.googleusercontent.com',
    displayText: 'Zoom',
    scopes: ['https://www.googleapis.com/auth/calendar'],
  });
  g.seedAsp(ada.email, 'Thunderbird on laptop');
  g.seedVerificationCodes(ada.email);
  g.seedForwardingAddress(ada.email, grace.email);
  g.seedDelegate(ada.email, alan.email);
  // The other ways into her account and mail, which a leaver's cut-off closes and a cancel opens again.
  g.seedRecovery(ada.email, { email: 'ada.byron@home.example', phone: '+447700900461' });
  g.seedAlias(ada.email, 'ada@example.com');
  g.seedAlias(ada.email, 'countess@example.com');
  g.setMailAccess(ada.email, { pop: { accessWindow: 'allMail', disposition: 'archive' }, imap: { enabled: true } });
  g.seedSendAs(ada.email, { sendAsEmail: 'countess@example.com', displayName: 'The Countess of Lovelace', signature: 'Ada' });

  return {
    domain: g.domain,
    customerId: g.customerId,
    users: { admin, grace, ada, alan, katherine, charles },
    groups: { allStaff, engineering, analyticalEngine },
    calendars,
    adaDeviceId,
  };
}
