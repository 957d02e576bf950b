/**
 * The OAuth scopes the Google actions may request: the one list an action's catalog entry picks from, grouped by
 * the token (impersonated user and client) each goes on. The union is the domain-wide delegation an admin grants.
 */
const scope = <S extends string>(name: S) => `https://www.googleapis.com/auth/${name}` as const;

export const GOOGLE_SCOPE = {
  /** users.insert/update/patch/delete/undelete, and users.get/list. */
  user: scope('admin.directory.user'),
  /** users.get/list only: for actions that find the account but change it through another API. */
  userReadonly: scope('admin.directory.user.readonly'),
  /** users.aliases list/insert/delete: a user's other addresses, and nothing else of the user. */
  userAlias: scope('admin.directory.user.alias'),
  /** users.signOut, tokens, asps, verificationCodes, twoStepVerification. */
  userSecurity: scope('admin.directory.user.security'),
  /** groups.list (a user's groups), groups.get. */
  groupReadonly: scope('admin.directory.group.readonly'),
  /** members.get/insert/delete. */
  groupMember: scope('admin.directory.group.member'),
  /** mobiledevices.list and mobiledevices.action (wipe). */
  mobileDeviceAction: scope('admin.directory.device.mobile.action'),
  /** Data Transfer applications.list, transfers.insert/get/list. */
  dataTransfer: scope('admin.datatransfer'),
  /** customers.get of my_customer: the customer's real id (C0…), which License Manager takes where Directory takes my_customer. */
  customerReadonly: scope('admin.directory.customer.readonly'),
  /** License Manager. */
  licensing: scope('apps.licensing'),
  /** Calendar ACL rules (acl.list/get/insert/delete) on calendars the admin manages. */
  calendarAcls: scope('calendar.acls'),
  /** Gmail settings reads, and vacation (auto-reply), POP and IMAP writes. */
  gmailSettingsBasic: scope('gmail.settings.basic'),
  /** Gmail delegates, forwarding addresses, auto-forwarding and send-as writes. */
  gmailSettingsSharing: scope('gmail.settings.sharing'),
  /** messages.send as the sending mailbox. */
  gmailSend: scope('gmail.send'),
  /** messages.list with q (gmail.metadata refuses q) and messages.get: a retried send finds the mail already sent. */
  gmailReadonly: scope('gmail.readonly'),
  /** files.list of a leaver's Drive, to read ownership back after a transfer. */
  driveMetadataReadonly: scope('drive.metadata.readonly'),
  /** Google Vault: matters and holds (matters.list/create, holds.list/get/create/delete, add/removeHeldAccounts). */
  ediscovery: scope('ediscovery'),
  /** calendarList.list as a user: the calendars they own. */
  calendarListReadonly: scope('calendar.calendarlist.readonly'),
  /** events.list as a user: the future meetings a leaver organizes, counted before and after they are handed over. */
  calendarEventsReadonly: scope('calendar.events.readonly'),
  /** Shared drives as a domain admin (useDomainAdminAccess): drives.list, and permissions.list/create/update of a drive's members. */
  drive: scope('drive'),
} as const;

export type GoogleScope = (typeof GOOGLE_SCOPE)[keyof typeof GOOGLE_SCOPE];

export const ALL_GOOGLE_SCOPES: readonly GoogleScope[] = Object.values(GOOGLE_SCOPE);

/** Each token the clients use, by whom it acts as, and the scopes that may go on it. */
export const GOOGLE_TOKEN_SCOPES = {
  /** As the admin subject: Directory, Data Transfer, Licensing. */
  admin: [
    GOOGLE_SCOPE.user,
    GOOGLE_SCOPE.userReadonly,
    GOOGLE_SCOPE.userAlias,
    GOOGLE_SCOPE.userSecurity,
    GOOGLE_SCOPE.groupReadonly,
    GOOGLE_SCOPE.groupMember,
    GOOGLE_SCOPE.mobileDeviceAction,
    GOOGLE_SCOPE.dataTransfer,
    GOOGLE_SCOPE.licensing,
  ],
  /**
   * As the admin subject, customers.get only, on a token of its own: minted only when the stage leaves the customer id
   * at my_customer, so a tenant that configures its real id need not delegate the scope, and one that has not yet
   * delegated it fails only this read, not every admin call of the step.
   */
  customer: [GOOGLE_SCOPE.customerReadonly],
  /** As the admin subject: Calendar. */
  calendar: [GOOGLE_SCOPE.calendarAcls],
  /** As the mailbox owner: Gmail settings. */
  gmail: [GOOGLE_SCOPE.gmailSettingsBasic, GOOGLE_SCOPE.gmailSettingsSharing],
  /** As the sending mailbox. */
  gmailSend: [GOOGLE_SCOPE.gmailSend, GOOGLE_SCOPE.gmailReadonly],
  /** As the user whose files are listed. */
  drive: [GOOGLE_SCOPE.driveMetadataReadonly],
  /** As the admin subject: Vault, on a token of its own, so no other call carries eDiscovery rights. */
  vault: [GOOGLE_SCOPE.ediscovery],
  /** As a user whose calendars are read and shared (a leaver's, handed over): their calendar list, its access rules, the events they organize. */
  calendarUser: [GOOGLE_SCOPE.calendarListReadonly, GOOGLE_SCOPE.calendarAcls, GOOGLE_SCOPE.calendarEventsReadonly],
  /** As the admin subject: shared drives with useDomainAdminAccess. */
  driveAdmin: [GOOGLE_SCOPE.drive],
} as const satisfies Record<string, readonly GoogleScope[]>;

export type GoogleToken = keyof typeof GOOGLE_TOKEN_SCOPES;

/** The scopes a token requests: those it may carry that are also granted (all of them when nothing narrows). */
export function tokenScopes(token: GoogleToken, granted?: readonly string[]): string[] {
  const mine: readonly string[] = GOOGLE_TOKEN_SCOPES[token];
  return granted ? mine.filter((s) => granted.includes(s)) : [...mine];
}

/** Parses a comma-separated scope list (the Lambda environment's), refusing a scope this code does not know. */
export function parseScopeList(text: string): GoogleScope[] {
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = list.filter((s) => !(ALL_GOOGLE_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown Google scopes: ${unknown.join(', ')}`);
  return list as GoogleScope[];
}
