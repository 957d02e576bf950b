/**
 * The action catalog: every action's name, its module and what it needs from the platform. Adding an action is its
 * module plus one entry here: its Lambda entry, its place in the in-process registry, its grants and its line in
 * docs/actions.md all follow from the entry. The dispatcher refuses names not listed here.
 */
import type { RestoreRule } from '../engine/restore';
import { DEFAULT_PRIORITY, type PriorityClass } from '../../config/priority';
import { GOOGLE_SCOPE, type GoogleScope } from '../providers/google/google-scopes';

const { user, userReadonly, userAlias, userSecurity, groupReadonly, groupMember, mobileDeviceAction, dataTransfer, customerReadonly, licensing, calendarAcls, gmailSettingsBasic, gmailSettingsSharing, gmailSend, gmailReadonly, driveMetadataReadonly, ediscovery, drive, calendarListReadonly, calendarEventsReadonly } =
  GOOGLE_SCOPE;

/** The Amazon Connect API permissions an action may be granted (on its instance only). */
export type ConnectPermission =
  | 'connect:DescribeUser'
  | 'connect:ListUsers'
  | 'connect:SearchUsers'
  | 'connect:DeleteUser'
  | 'connect:CreateUser'
  | 'connect:UpdateUserRoutingProfile'
  | 'connect:UpdateUserSecurityProfiles'
  | 'connect:UpdateUserHierarchy'
  | 'connect:UpdateUserPhoneConfig'
  | 'connect:UpdateUserIdentityInfo'
  | 'connect:ListRoutingProfiles'
  | 'connect:ListSecurityProfiles'
  | 'connect:ListUserHierarchyGroups'
  /** The instance's agent statuses: where the Offline status's id is found. */
  | 'connect:ListAgentStatuses'
  /** An agent's real-time data: their status, next status and the contacts they hold. */
  | 'connect:GetCurrentUserData'
  /** Sets an agent's status (their next status while they handle a contact). */
  | 'connect:PutUserStatus'
  /** The queues a routing profile serves: where a leaver alone serves a queue. */
  | 'connect:ListRoutingProfileQueues'
  /** Binds an agent to the employee id (its tag): on create, and when an operator adopts an agent made before. */
  | 'connect:TagResource';

export interface ActionSpec {
  /** provider.actionName, as playbooks name it. */
  name: string;
  /**
   * The action's module, relative to lambdas/actions/ without its extension: it exports the definition named `name`.
   * The Lambda entry and the in-process registry are derived from it (lib/action-entries.ts, ./registry.ts).
   */
  module: string;
  /** One line for operators and the README. */
  description: string;
  /**
   * Its priority class (config/priority.ts): across all runs, work of a higher class is taken first. A playbook step may
   * override it. Joiner and mover steps are `protect` when they give a person what they need to work (the account, its
   * license, groups, agent, the welcome mail), `housekeeping` otherwise; a restore is `protect` when it gives a person
   * back the use of their account (undelete, unsuspend, licenses, groups, agent), `housekeeping` otherwise.
   */
  priority: PriorityClass;
  /**
   * For a removal: the action that undoes it when HR cancels the termination or hires the leaver back,
   * its phase (0 brings the account back, 1 makes it active: unsuspended and licensed, 2 the rest, 3 what rests on phase 2:
   * send-as addresses on restored aliases), and whether a rehire wants it
   * back (default yes). `phaseFor`, when given, picks the phase from what the removal recorded.
   */
  restore?: { by: string; phase: number; phaseFor?: (result: Record<string, unknown>) => number; onRehire?: boolean };
  /** Platform needs, granted by the Actions Stack and nothing more. */
  needs: {
    /** The stage's downstream receivers for data forwarding, each with its own signing key secret. */
    forwardTo?: boolean;
    /** The Google clients: the service account key secret and the admin to act as. */
    google?: boolean;
    /**
     * The OAuth scopes the action's Google calls need, and all its tokens may carry (its Lambda's environment; the
     * clients narrowed to them when it runs). Each is the least scope that allows every method the action calls.
     */
    googleScopes?: readonly GoogleScope[];
    /**
     * The initial-password vault: `seal` (the credential record, KMS Encrypt on the credential key) or `link`
     * (the credential record only: it issues the one-time link).
     */
    credentials?: 'seal' | 'link';
    /** The welcome email's sender, link lifetime and the API's public URL. */
    welcomeEmail?: boolean;
    /** The operators' addresses (the stage's alertEmails), for mail that goes to them. */
    operatorEmails?: boolean;
    /** The stage's mailboxDelegation setting: who gets a leaver's mailbox when their manager has no room. */
    mailboxDelegation?: boolean;
    /** The stage's mailRetention setting: how a leaver's mail is kept (an Archived User license, a Vault hold, or not). */
    mailRetention?: boolean;
    /** The stage's handover setting: to whom a leaver's sole-owner resources go (the manager, or a named owner). */
    handover?: boolean;
    /** Amazon Connect: the instance id and the Connect permissions its actions use. */
    connect?: readonly ConnectPermission[];
    /** Zendesk Support: the API token secret, the account's URL and API user, and the stage's leaver ticket group. */
    zendesk?: boolean;
    /** The stage's SCIM 2.0 apps (scimApps): each app's base URL, budget and bearer token secret. */
    scim?: boolean;
    /** Front: the company API token secret, the Core API and SCIM roots and the stage's request budget. */
    front?: boolean;
    /** Nextcloud: the admin's app password secret, the server's URL and admin user, and the stage's request budget. */
    nextcloud?: boolean;
    /** OpenProject: the admin's API token secret, the instance's URL, its employee id field and the stage's request budget. */
    openproject?: boolean;
  };
}

export const ACTION_CATALOG = [
  {
    name: 'forward.event',
    module: 'forward/forward-event',
    priority: 'housekeeping',
    description: "POST the lifecycle event to each downstream receiver, signed with that receiver's own key, so other systems run their own steps.",
    needs: { forwardTo: true },
  },
  {
    name: 'google.signOut',
    module: 'google/sign-out',
    priority: 'lockout',
    description: 'Sign the leaver out of every Google session.',
    needs: { google: true, googleScopes: [userReadonly, userSecurity] },
  },
  {
    name: 'google.resetPassword',
    module: 'google/reset-password',
    priority: 'lockout',
    description: 'Replace the password with a random one nobody knows, then sign out every session, one opened with the old password meanwhile included.',
    needs: { google: true, googleScopes: [user, userSecurity] },
  },
  {
    name: 'google.revokeTokens',
    module: 'google/revoke-tokens',
    priority: 'lockout',
    description: 'Revoke every OAuth token the leaver granted to apps.',
    needs: { google: true, googleScopes: [userReadonly, userSecurity] },
  },
  {
    name: 'google.deleteAppPasswords',
    module: 'google/delete-app-passwords',
    priority: 'lockout',
    description: 'Delete every app password.',
    needs: { google: true, googleScopes: [userReadonly, userSecurity] },
  },
  {
    name: 'google.invalidateBackupCodes',
    module: 'google/invalidate-backup-codes',
    priority: 'lockout',
    description: 'Invalidate the 2-step verification backup codes; skipped with a note on an account already suspended (Google refuses, and the suspension blocks sign-in).',
    needs: { google: true, googleScopes: [userReadonly, userSecurity] },
  },
  {
    name: 'google.turnOffTwoStep',
    module: 'google/turn-off-two-step',
    priority: 'housekeeping',
    description: 'Turn off 2-step verification.',
    needs: { google: true, googleScopes: [userReadonly, userSecurity] },
  },
  {
    name: 'google.removeExternalForwarding',
    module: 'google/remove-external-forwarding',
    priority: 'protect',
    description: 'Stop mail forwarding to addresses outside the company.',
    // Forwarding to outside addresses is not set up again for someone who really left: they may set it themselves.
    restore: { by: 'google.restoreForwarding', phase: 2, onRehire: false },
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic, gmailSettingsSharing] },
  },
  {
    name: 'google.wipeMobileDevices',
    module: 'google/wipe-mobile-devices',
    priority: 'protect',
    description: 'Wipe the account from every managed mobile device.',
    needs: { google: true, googleScopes: [userReadonly, mobileDeviceAction] },
  },
  {
    name: 'google.setAutoReply',
    module: 'google/set-auto-reply',
    priority: 'protect',
    description: 'Turn on the HR-approved auto-reply.',
    restore: { by: 'google.restoreAutoReply', phase: 2 },
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic] },
  },
  {
    name: 'google.delegateToManager',
    module: 'google/delegate-to-manager',
    priority: 'protect',
    description:
      "Make the manager (resolved to their primary address) the only mailbox delegate, recording who it added and removed across retries; when Gmail refuses them for lack of room, the stage's mailboxDelegation decides: an overflow delegate, or an operator.",
    restore: { by: 'google.restoreDelegates', phase: 2 },
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic, gmailSettingsSharing], mailboxDelegation: true },
  },
  {
    name: 'google.hideFromDirectory',
    module: 'google/hide-from-directory',
    priority: 'protect',
    description: 'Hide the leaver from the Global Address List.',
    restore: { by: 'google.restoreDirectoryVisibility', phase: 2 },
    needs: { google: true, googleScopes: [user] },
  },
  // Sole-owner handover: before the cut-off, what only the leaver manages goes to the manager or the stage's handover owner.
  {
    name: 'google.handOverSharedDrives',
    module: 'google/hand-over-shared-drives',
    priority: 'protect',
    description:
      "Make the manager (or the stage's handover owner) a manager of every shared drive the leaver alone manages (as a domain admin), reading each back and recording the drives handed over; not undone by a cancel.",
    needs: { google: true, googleScopes: [userReadonly, drive], handover: true },
  },
  {
    name: 'google.handOverGroups',
    module: 'google/hand-over-groups',
    priority: 'protect',
    description:
      "Make the manager (or the stage's handover owner) an OWNER of every group the leaver alone owns, before the removal from groups, reading each back and recording the groups handed over; not undone by a cancel.",
    needs: { google: true, googleScopes: [userReadonly, groupReadonly, groupMember], handover: true },
  },
  {
    name: 'google.handOverCalendars',
    module: 'google/hand-over-calendars',
    priority: 'protect',
    description:
      "Give the manager (or the stage's handover owner) the owner role on every calendar the leaver alone owns besides their primary one, acting as the leaver, reading each back and recording the calendars handed over; not undone by a cancel.",
    needs: { google: true, googleScopes: [userReadonly, calendarListReadonly, calendarAcls], handover: true },
  },
  {
    name: 'google.handOverMeetings',
    module: 'google/hand-over-meetings',
    priority: 'protect',
    description:
      "Hand the future meetings the leaver organizes to the manager (or the stage's handover owner) with a Data Transfer of Calendar, rooms kept, counting them before as the leaver and reading the calendar back after (none that Google moves may be left); starts nothing when there is none; private, solo and already begun events, which Google does not move, are counted in the answer; not undone by a cancel.",
    needs: { google: true, googleScopes: [userReadonly, dataTransfer, calendarEventsReadonly], handover: true },
  },
  {
    name: 'connect.checkSoleServedQueues',
    module: 'connect/check-sole-served-queues',
    priority: 'protect',
    description:
      "Find the queues of the leaver's routing profile that no other agent's routing profile has; if any, stop for an operator naming each queue before the agent is removed (a queue cannot be handed to a person).",
    needs: { connect: ['connect:ListUsers', 'connect:DescribeUser', 'connect:TagResource', 'connect:SearchUsers', 'connect:ListRoutingProfileQueues'] },
  },
  {
    name: 'google.removeFromGroups',
    module: 'google/remove-from-groups',
    priority: 'protect',
    description: 'Remove the employee from every group (a leaver) or from the listed groups (a mover), recording each with the role held; a group whose only owner the employee is keeps them, and the step goes to an operator naming it.',
    restore: { by: 'google.restoreGroups', phase: 2 },
    needs: { google: true, googleScopes: [userReadonly, groupReadonly, groupMember] },
  },
  {
    name: 'google.transferData',
    module: 'google/transfer-data',
    priority: 'housekeeping',
    description: "Transfer the leaver's Drive (private and shared files) and, unless the step names Drive alone, Calendar (rooms kept) to the manager, checking back until Google reports it completed, then reading Drive ownership back; Calendar moves only future, non-private events with a guest or resource on the primary calendar, and the answer says so.",
    needs: { google: true, googleScopes: [userReadonly, dataTransfer, driveMetadataReadonly] },
  },
  {
    name: 'google.removeDelegation',
    module: 'google/remove-delegation',
    priority: 'protect',
    description: "Remove every Gmail delegate of the leaver's mailbox, recording who had access.",
    restore: { by: 'google.restoreDelegates', phase: 2 },
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic, gmailSettingsSharing] },
  },
  {
    name: 'google.suspendUser',
    module: 'google/suspend-user',
    priority: 'housekeeping',
    description: "Suspend the leaver's Google account, recording whether it was active.",
    restore: { by: 'google.unsuspendUser', phase: 1 },
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.moveToOrgUnit',
    module: 'google/move-to-org-unit',
    priority: 'housekeeping',
    description: "Move the leaver's Google account to an org unit (default /Offboarded), recording where it was.",
    restore: { by: 'google.restoreOrgUnit', phase: 2 },
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.removeLicenses',
    module: 'google/remove-licenses',
    priority: 'housekeeping',
    description: "Revoke the leaver's Google Workspace licenses, recording each assignment removed; where automatic licensing still covers the org unit, say what an admin must turn off. Kept while the mail is on a Vault hold (the role's Mail retention, else the stage's), which holds only a licensed account.",
    // Phase 1: Gmail answers "Mail service not enabled" to every settings call until the license is back, so it
    // comes back before the Gmail restores of phase 2 (delegates, forwarding, auto-reply).
    restore: { by: 'google.restoreLicenses', phase: 1 },
    // mailRetention: the licenses stay while the mail is kept by a Vault hold, which holds only a licensed account.
    needs: { google: true, googleScopes: [userReadonly, licensing], mailRetention: true },
  },
  {
    name: 'google.deleteUser',
    module: 'google/delete-user',
    priority: 'housekeeping',
    description: "Delete the leaver's Google account, recording its id for users.undelete and the Workspace licenses it held. Refused for an operator while the mail is kept by a Vault hold, which a deletion ends.",
    restore: { by: 'google.undeleteUser', phase: 0 },
    // licensing: the licenses it held, which users.undelete needs a free seat of. mailRetention: no deletion while the
    // mail is kept by a Vault hold, which the deletion would end.
    needs: { google: true, googleScopes: [user, licensing], mailRetention: true },
  },
  // Mail retention for leavers (issue 17): a Vault hold or the Archived User license, as the stage's mailRetention says.
  {
    name: 'google.retainMail',
    module: 'google/retain-mail',
    priority: 'housekeeping',
    description:
      "Keep the leaver's mail as the role they held says (its Mail retention), else as the stage's mailRetention says: a Google Vault hold on the mailbox (one hold per leaver in the stage's matter, made when missing) or the account archived (its license turned into the edition's Archived User license); read it back and record it. Deletion waits for it, and never ends a Vault hold.",
    // Phase 1: an archived account gets its Workspace license back with the licenses, before the Gmail restores. A Vault
    // hold released gives the person nothing back: it goes last (phase 4, after the send-as addresses of phase 3), so a
    // Vault refusal holds back no other restore.
    restore: { by: 'google.releaseMailRetention', phase: 1, phaseFor: (result) => ((result.retained as { method?: unknown } | null | undefined)?.method === 'vault-hold' ? 4 : 1) },
    needs: { google: true, googleScopes: [user, licensing, ediscovery], mailRetention: true },
  },
  {
    name: 'google.releaseMailRetention',
    module: 'google/release-mail-retention',
    priority: 'protect',
    description: 'Undo google.retainMail: take the account off the Vault hold the run put it on (the hold deleted when it held only them), or unarchive an account the run archived.',
    needs: { google: true, googleScopes: [user, ediscovery] },
  },
  {
    name: 'connect.setAgentOffline',
    module: 'connect/set-agent-offline',
    priority: 'lockout',
    description:
      "Set the Amazon Connect agent Offline (the instance's OFFLINE status) so no new contact reaches them, recording the status they were in; an agent on a contact gets it as next status and the contact runs on.",
    // A cancel puts the status back if the agent is still Offline as the run left them; a rehire's agent is a new one.
    restore: { by: 'connect.restoreAgentStatus', phase: 2, onRehire: false },
    needs: { connect: ['connect:ListUsers', 'connect:DescribeUser', 'connect:TagResource', 'connect:ListAgentStatuses', 'connect:GetCurrentUserData', 'connect:PutUserStatus'] },
  },
  {
    name: 'connect.removeAgent',
    module: 'connect/remove-agent',
    priority: 'housekeeping',
    description:
      "Remove the Amazon Connect agent once their last live contact has closed (a not-yet answer while one is live, up to `maxWaitMinutes`, default 30, counted from the first look that found a live contact, or from the first after an operator's retry, then removed anyway with a note), recording its profiles, hierarchy and phone settings first.",
    restore: { by: 'connect.restoreAgent', phase: 2 },
    needs: { connect: ['connect:ListUsers', 'connect:DescribeUser', 'connect:DeleteUser', 'connect:TagResource', 'connect:GetCurrentUserData'] },
  },
  {
    name: 'google.restoreGroups',
    module: 'google/restore-groups',
    priority: 'protect',
    description: 'Put the employee back into each recorded group with the role held there.',
    needs: { google: true, googleScopes: [userReadonly, groupMember] },
  },
  {
    name: 'google.restoreDelegates',
    module: 'google/restore-delegates',
    priority: 'housekeeping',
    description: 'Grant mailbox access again to the removed delegates and take it from the manager the run added, each by their current primary address.',
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic, gmailSettingsSharing] },
  },
  {
    name: 'google.restoreForwarding',
    module: 'google/restore-forwarding',
    priority: 'housekeeping',
    description: 'Re-create the removed forwarding addresses and turn auto-forwarding back on as recorded.',
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic, gmailSettingsSharing] },
  },
  {
    name: 'google.restoreDirectoryVisibility',
    module: 'google/restore-directory-visibility',
    priority: 'housekeeping',
    description: 'Show the employee in the Global Address List again.',
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.restoreAutoReply',
    module: 'google/restore-auto-reply',
    priority: 'housekeeping',
    description: 'Put back the auto-reply the employee had before the HR text.',
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic] },
  },
  {
    name: 'google.undeleteUser',
    module: 'google/undelete-user',
    priority: 'protect',
    description: 'Bring the deleted Google account back by its recorded id (users.undelete, within 20 days of the deletion); no free seat of a license it held is reported as such, for an operator.',
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.unsuspendUser',
    module: 'google/unsuspend-user',
    priority: 'protect',
    description: 'Lift the suspension the run put on the Google account.',
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.restoreOrgUnit',
    module: 'google/restore-org-unit',
    priority: 'housekeeping',
    description: 'Move the Google account back to the org unit it was in.',
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.restoreLicenses',
    module: 'google/restore-licenses',
    priority: 'protect',
    description: 'Assign the revoked Google licenses again, if seats are free.',
    needs: { google: true, googleScopes: [userReadonly, licensing] },
  },
  {
    name: 'connect.restoreAgent',
    module: 'connect/restore-agent',
    priority: 'protect',
    description: 'Recreate the Amazon Connect agent from its snapshot with the same profiles, hierarchy and phone settings.',
    needs: {
      connect: [
        'connect:ListUsers',
        'connect:DescribeUser',
        'connect:CreateUser',
        'connect:UpdateUserRoutingProfile',
        'connect:UpdateUserSecurityProfiles',
        'connect:UpdateUserHierarchy',
        'connect:UpdateUserPhoneConfig',
        'connect:UpdateUserIdentityInfo',
        'connect:TagResource',
      ],
    },
  },
  {
    name: 'connect.restoreAgentStatus',
    module: 'connect/restore-agent-status',
    priority: 'housekeeping',
    description: 'Put the Amazon Connect agent back in the status they were in before the cut-off, if they are still logged in and Offline as the run left them.',
    needs: { connect: ['connect:ListUsers', 'connect:DescribeUser', 'connect:TagResource', 'connect:ListAgentStatuses', 'connect:GetCurrentUserData', 'connect:PutUserStatus'] },
  },
  {
    name: 'google.createUser',
    module: 'google/create-user',
    priority: 'protect',
    description: "Create the joiner's Google account (HR address or the first free derived one) marked with the employee id, in the role's org unit, sealing its initial password.",
    needs: { google: true, googleScopes: [user], credentials: 'seal' },
  },
  {
    name: 'google.assignLicense',
    module: 'google/assign-license',
    priority: 'protect',
    description: "Assign the role's Google license SKU, recording the assignment; with `replaces` (a mover), change the SKU held of the same product in place.",
    // customerReadonly: License Manager's list calls take the customer's real id, read with customers.get.
    needs: { google: true, googleScopes: [userReadonly, customerReadonly, licensing] },
  },
  {
    name: 'google.addToGroups',
    module: 'google/add-to-groups',
    priority: 'protect',
    description: "Add the joiner to the role's groups, recording the memberships it made and those already there; a new account Google is still creating is retried, a missing group goes to an operator.",
    needs: { google: true, googleScopes: [userReadonly, groupReadonly, groupMember] },
  },
  {
    name: 'google.shareCalendars',
    module: 'google/share-calendars',
    priority: 'housekeeping',
    description: "Share the role's team calendars with the joiner, recording each rule it added.",
    needs: { google: true, googleScopes: [userReadonly, calendarAcls] },
  },
  {
    name: 'connect.createAgent',
    module: 'connect/create-agent',
    priority: 'protect',
    description: "Create the joiner's Amazon Connect agent with the role's (or a template agent's) profiles, hierarchy and phone type.",
    needs: {
      connect: [
        'connect:ListUsers',
        'connect:DescribeUser',
        'connect:CreateUser',
        'connect:ListRoutingProfiles',
        'connect:ListSecurityProfiles',
        'connect:ListUserHierarchyGroups',
        'connect:TagResource',
      ],
    },
  },
  {
    name: 'google.updateCustomSchemas',
    module: 'google/update-custom-schemas',
    priority: 'housekeeping',
    description: "Set and clear the role's custom schema fields on the Google account with users.update (users.patch cannot clear a multi-valued field), recording each field's previous value.",
    // A rehire gets them back too: its google.createUser finds the former account and changes none of its fields.
    restore: { by: 'google.restoreCustomSchemas', phase: 2 },
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.unshareCalendars',
    module: 'google/unshare-calendars',
    priority: 'protect',
    description: "Take the employee's sharing off the team calendars of the role they held (a mover's old role, a leaver's role), recording the role each rule gave.",
    // A rehire's role shares its own calendars: an old role's are not given back.
    restore: { by: 'google.restoreCalendars', phase: 2, onRehire: false },
    needs: { google: true, googleScopes: [userReadonly, calendarAcls] },
  },
  {
    name: 'connect.updateAgent',
    module: 'connect/update-agent',
    priority: 'protect',
    description: "Change the mover's Amazon Connect routing profile, hierarchy group and security profiles, recording what the agent had before.",
    needs: {
      connect: [
        'connect:ListUsers',
        'connect:DescribeUser',
        'connect:UpdateUserRoutingProfile',
        'connect:UpdateUserSecurityProfiles',
        'connect:UpdateUserHierarchy',
        'connect:ListRoutingProfiles',
        'connect:ListSecurityProfiles',
        'connect:ListUserHierarchyGroups',
        'connect:TagResource',
      ],
    },
  },
  {
    name: 'google.sendWelcomeEmail',
    module: 'google/send-welcome-email',
    priority: 'protect',
    description: "Email the joiner's personal address through Gmail: the company address, the first day and a one-time link that reveals the initial password once.",
    needs: { google: true, googleScopes: [userReadonly, gmailSend, gmailReadonly], credentials: 'link', welcomeEmail: true },
  },
  {
    name: 'google.sendJoinerSummary',
    module: 'google/send-joiner-summary',
    priority: 'housekeeping',
    description: "Email the manager, operators in copy, the joiner summary: the accounts made, what is still to come or waits for an operator, what the role leaves to do by hand, and the role tree.",
    needs: { google: true, googleScopes: [gmailSend, gmailReadonly], welcomeEmail: true, operatorEmails: true },
  },
  {
    name: 'google.sendLeaverNotice',
    module: 'google/send-leaver-notice',
    priority: 'housekeeping',
    description:
      "Email the leaver's manager (with no manager, the operators) before the last day: the cut-off in the leaver's zone, what will be removed, transferred and kept, and the role's manual tasks to collect or close; none once the cut-off has passed.",
    // userReadonly: the manager's account is read (an active account of the domain, by primary address) before anything is sent.
    needs: { google: true, googleScopes: [userReadonly, gmailSend, gmailReadonly], welcomeEmail: true, operatorEmails: true },
  },
  // ---- The other doors into an account, closed at a leaver's cut-off and opened again by a cancel ----
  {
    name: 'google.removeRecoveryInfo',
    module: 'google/remove-recovery-info',
    // A recovery email or phone lets whoever holds it reset the password and take the account back.
    priority: 'lockout',
    description: "Remove the account's recovery email and phone, recording both.",
    restore: { by: 'google.restoreRecoveryInfo', phase: 2 },
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.turnOffPopImap',
    module: 'google/turn-off-pop-imap',
    // A mail client holding an app password or a token keeps reading the mailbox over POP or IMAP.
    priority: 'lockout',
    description: 'Turn off POP and IMAP access to the mailbox, recording the settings it had.',
    restore: { by: 'google.restorePopImap', phase: 2 },
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic] },
  },
  {
    name: 'google.removeSendAs',
    module: 'google/remove-send-as',
    // Whoever reads the mailbox (the manager as delegate) could still send as a team or shared address: the company's name is at stake, not the account.
    priority: 'protect',
    description: 'Remove every send-as address but the primary one, recording each with its display name, reply-to, signature and default.',
    // Phase 3: after the aliases (phase 2), so an address the mailbox owns is accepted again at once.
    restore: { by: 'google.restoreSendAs', phase: 3 },
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic, gmailSettingsSharing] },
  },
  {
    name: 'google.removeAliases',
    module: 'google/remove-aliases',
    // An alias opens nothing once the account is locked: it frees the address, and mail to it stops reaching the mailbox.
    priority: 'housekeeping',
    description: "Remove the account's email aliases (all but the address the HR event names the account by), recording each.",
    restore: { by: 'google.restoreAliases', phase: 2 },
    needs: { google: true, googleScopes: [userReadonly, userAlias] },
  },
  {
    name: 'google.restoreRecoveryInfo',
    module: 'google/restore-recovery-info',
    priority: 'housekeeping',
    description: 'Put the recorded recovery email and phone back, leaving one set since as it is.',
    needs: { google: true, googleScopes: [user] },
  },
  {
    name: 'google.restorePopImap',
    module: 'google/restore-pop-imap',
    priority: 'housekeeping',
    description: 'Turn POP and IMAP back on with the recorded settings, if still off.',
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic] },
  },
  {
    name: 'google.restoreAliases',
    module: 'google/restore-aliases',
    priority: 'protect',
    description: 'Add the recorded aliases back; an address taken meanwhile by another user, group or alias goes to an operator, named.',
    needs: { google: true, googleScopes: [userReadonly, userAlias] },
  },
  {
    name: 'google.restoreSendAs',
    module: 'google/restore-send-as',
    priority: 'housekeeping',
    description: "Make the recorded send-as addresses again with their fields; one the mailbox does not own waits for its owner's verification.",
    needs: { google: true, googleScopes: [userReadonly, gmailSettingsBasic, gmailSettingsSharing] },
  },
  {
    name: 'google.restoreCalendars',
    module: 'google/restore-calendars',
    priority: 'protect',
    description: "Share the team calendars google.unshareCalendars took off again, each with the role its rule gave.",
    needs: { google: true, googleScopes: [userReadonly, calendarAcls] },
  },
  {
    name: 'google.restoreCustomSchemas',
    module: 'google/restore-custom-schemas',
    priority: 'protect',
    description: 'Write back the value each custom schema field had before google.updateCustomSchemas changed it (clearing one that was not set).',
    needs: { google: true, googleScopes: [user] },
  },
  // ---- Zendesk Support (docs/zendesk.md): the agent or end-user a role gives, suspended with a leaver ----
  {
    name: 'zendesk.provisionUser',
    module: 'zendesk/provision-user',
    priority: 'protect',
    description:
      "Give the joiner the Zendesk user the role says (found by external_id, else by address, else created; bound to the employee id): role, custom role and groups; a suspended one made active again. Sign-in is left to Google (SAML).",
    needs: { zendesk: true },
  },
  {
    name: 'zendesk.updateUser',
    module: 'zendesk/update-user',
    priority: 'protect',
    description: "Change the mover's Zendesk role, custom role and groups (the old role's groups removed after the grace period), recording what the user had before.",
    // A cancelled mover run gets its role and groups back; a rehire's role is the new hire's, given by its own steps.
    restore: { by: 'zendesk.restoreRole', phase: 2, onRehire: false },
    needs: { zendesk: true },
  },
  {
    name: 'zendesk.suspendUser',
    module: 'zendesk/suspend-user',
    priority: 'protect',
    description:
      "Hand the leaver's open Zendesk tickets to the stage's leaverTicketGroup unassigned (update_many, its job followed), remove their group memberships and suspend them, recording a snapshot and the tickets moved.",
    restore: { by: 'zendesk.restoreUser', phase: 1 },
    needs: { zendesk: true },
  },
  {
    name: 'zendesk.restoreUser',
    module: 'zendesk/restore-user',
    priority: 'protect',
    description: 'Unsuspend the Zendesk user and put its role and group memberships back from the snapshot; the tickets handed over stay with the group.',
    needs: { zendesk: true },
  },
  {
    name: 'zendesk.restoreRole',
    module: 'zendesk/restore-role',
    priority: 'protect',
    description: "Undo a mover's zendesk.updateUser on a cancel: the role and custom role it had before and the groups it joined or left, from what the step recorded; a role changed since by someone else is left and named.",
    needs: { zendesk: true },
  },
  // ---- SCIM 2.0 apps (docs/scim.md): one user per app a role names, bound by externalId = employee id ----
  {
    name: 'scim.provisionUser',
    module: 'scim/provision-user',
    priority: 'protect',
    description: "Find the joiner's user in a SCIM app by userName or externalId (a 409 on create is found and bound), or create it with externalId = employee id; make it active and add it to the role's groups of the app, reading each back.",
    needs: { scim: true },
  },
  {
    name: 'scim.addToGroups',
    module: 'scim/add-to-groups',
    priority: 'protect',
    description: "Add a mover's SCIM user to the groups of the app their new role names, reading each back.",
    needs: { scim: true },
  },
  {
    name: 'scim.removeFromGroups',
    module: 'scim/remove-from-groups',
    priority: 'protect',
    description: "Take a mover's SCIM user out of the groups of the app only their old role named, recording each membership removed.",
    restore: { by: 'scim.reactivateUser', phase: 2, onRehire: false },
    needs: { scim: true },
  },
  {
    name: 'scim.deactivateUser',
    module: 'scim/deactivate-user',
    priority: 'protect',
    description: "Record a SCIM user's active flag and group memberships, take it out of every group, set active: false, and read both back; the user is kept.",
    restore: { by: 'scim.reactivateUser', phase: 1 },
    needs: { scim: true },
  },
  {
    name: 'scim.reactivateUser',
    module: 'scim/reactivate-user',
    priority: 'protect',
    description: 'Set a SCIM user active again as recorded and put it back into each recorded group, reading both back; a group gone from the app is named.',
    needs: { scim: true },
  },
  // ---- Front (docs/front.md): the teammate a role gives (SCIM), its teams and shared inboxes (Core API) ----
  {
    name: 'front.provisionTeammate',
    module: 'front/provision-teammate',
    priority: 'protect',
    description:
      "Give the joiner the Front teammate the role says (found by SCIM externalId or address, else created through Front's SCIM API with externalId = employee id and the role's teammate template); a deactivated one made active again; added to the role's teams and shared inboxes, all read back.",
    needs: { front: true },
  },
  {
    name: 'front.updateTeammate',
    module: 'front/update-teammate',
    priority: 'protect',
    description: "Give the mover's Front teammate the new role's teams and shared inboxes, each read back, recording what it added.",
    needs: { front: true },
  },
  {
    name: 'front.removeAccess',
    module: 'front/remove-access',
    priority: 'protect',
    description: "Take a mover's Front teammate out of the teams and shared inboxes only the old role named (after the grace period; a Front admin held), recording each one removed.",
    // A cancelled mover run gets them back; a rehire's access is the new hire's, given by its own steps.
    restore: { by: 'front.restoreAccess', phase: 2, onRehire: false },
    needs: { front: true },
  },
  {
    name: 'front.deactivateTeammate',
    module: 'front/deactivate-teammate',
    priority: 'protect',
    description: "Take the leaver's Front teammate out of every team and shared inbox and deactivate it through SCIM (active: false, Front blocks it), recording a snapshot first.",
    restore: { by: 'front.restoreTeammate', phase: 1 },
    needs: { front: true },
  },
  {
    name: 'front.restoreTeammate',
    module: 'front/restore-teammate',
    priority: 'protect',
    description: 'Make the Front teammate active again through SCIM and put it back in the teams and shared inboxes of the snapshot, reading both back.',
    needs: { front: true },
  },
  {
    name: 'front.restoreAccess',
    module: 'front/restore-access',
    priority: 'protect',
    description: "Undo a mover's front.removeAccess on a cancel: the teammate put back in exactly the teams and shared inboxes it recorded, read back; one deleted since is named.",
    needs: { front: true },
  },
  // ---- Nextcloud (docs/nextcloud.md): the user a role gives (OCS Provisioning API), its groups and quota ----
  {
    name: 'nextcloud.provisionUser',
    module: 'nextcloud/provision-user',
    priority: 'protect',
    description:
      "Give the joiner the Nextcloud user the role says (user id = employee id; else created with the company address, Nextcloud mailing a link to set a password): the role's groups and quota; a disabled one enabled again; read back.",
    needs: { nextcloud: true },
  },
  {
    name: 'nextcloud.updateUser',
    module: 'nextcloud/update-user',
    priority: 'protect',
    description: "Give the mover's Nextcloud user the new role's groups and quota, read back, recording the quota it had.",
    needs: { nextcloud: true },
  },
  {
    name: 'nextcloud.removeGroups',
    module: 'nextcloud/remove-groups',
    priority: 'protect',
    description: "Take a mover's Nextcloud user out of the groups only the old role named (after the grace period; an admin held), recording each one removed.",
    // A cancelled mover run gets them back; a rehire's groups are the new hire's, given by its own steps.
    restore: { by: 'nextcloud.restoreGroups', phase: 2, onRehire: false },
    needs: { nextcloud: true },
  },
  {
    name: 'nextcloud.disableUser',
    module: 'nextcloud/disable-user',
    priority: 'protect',
    description: "Record the leaver's Nextcloud groups and state, disable the user and take it out of every group (files kept), read back.",
    restore: { by: 'nextcloud.enableUser', phase: 1 },
    needs: { nextcloud: true },
  },
  {
    name: 'nextcloud.enableUser',
    module: 'nextcloud/enable-user',
    priority: 'protect',
    description: 'Enable the Nextcloud user again (unless it was disabled before) and put it back in the groups of the snapshot, read back; a group deleted since is named.',
    needs: { nextcloud: true },
  },
  {
    name: 'nextcloud.restoreGroups',
    module: 'nextcloud/restore-groups',
    priority: 'protect',
    description: "Undo a mover's nextcloud.removeGroups on a cancel: the user put back in exactly the groups it recorded, read back; a group deleted since is named.",
    needs: { nextcloud: true },
  },
  // ---- OpenProject (docs/openproject.md): the user a role gives (API v3), bound by the stage's employee id field ----
  {
    name: 'openproject.provisionUser',
    module: 'openproject/provision-user',
    priority: 'protect',
    description:
      "Give the joiner the OpenProject user the role says: the one bound to them by the employee id field (or an adopted one at their email), else created with the username rules' login, names and email, invited to set a password; a locked one unlocked; read back.",
    needs: { openproject: true },
  },
  {
    name: 'openproject.lockUser',
    module: 'openproject/lock-user',
    priority: 'protect',
    description: "Record the leaver's OpenProject user (id, login, status) and lock it: no sign-in, their work packages and memberships kept; read back.",
    restore: { by: 'openproject.unlockUser', phase: 1 },
    needs: { openproject: true },
  },
  {
    name: 'openproject.unlockUser',
    module: 'openproject/unlock-user',
    priority: 'protect',
    description: 'Unlock the OpenProject user the leaver step locked (unless it was locked before), only while still bound to the employee; read back.',
    needs: { openproject: true },
  },
] as const satisfies readonly ActionSpec[];

export type ActionName = (typeof ACTION_CATALOG)[number]['name'];

export const ACTION_NAMES: readonly string[] = ACTION_CATALOG.map((a) => a.name);

export function isKnownAction(name: string): name is ActionName {
  return ACTION_NAMES.includes(name);
}

/** The restore rule of an action, if a cancel or a rehire can undo what it did. */
export function restoreRuleFor(action: string): RestoreRule | undefined {
  const spec = actionSpec(action);
  if (!spec?.restore) return undefined;
  const { by, phase, phaseFor, onRehire } = spec.restore;
  return { restoredBy: by, phase, ...(phaseFor ? { phaseFor } : {}), onRehire: onRehire ?? true };
}

/** The priority class of an action; DEFAULT_PRIORITY for a name the catalog does not list (its step goes to an operator unrun). */
export function priorityOf(action: string): PriorityClass {
  return actionSpec(action)?.priority ?? DEFAULT_PRIORITY;
}

/** The Google scopes an action declares; undefined for an action that does not call Google. */
export function googleScopesOf(action: string): readonly GoogleScope[] | undefined {
  return actionSpec(action)?.needs.googleScopes;
}

/** The catalog entry of an action, or undefined for a name the catalog does not list. */
export function actionSpec(action: string): ActionSpec | undefined {
  return (ACTION_CATALOG as readonly ActionSpec[]).find((a) => a.name === action);
}
