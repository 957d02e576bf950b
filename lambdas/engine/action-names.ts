/** The actions the engine itself plans around, by name (the catalog lists them with the rest). */

/** The action that makes a joiner's account: the role's org unit and custom schema values go to its parameters. */
export const CREATE_ACCOUNT_ACTION = 'google.createUser';
/** The action that mails a joiner the one-time link to their initial password, at their personal address. */
export const WELCOME_EMAIL_ACTION = 'google.sendWelcomeEmail';

/**
 * The actions that hand a leaver's things to their manager (the sole-owner handovers, the mailbox, Drive and Calendar):
 * the dispatcher tells them when the manager is leaving too.
 */
export const TO_MANAGER_ACTIONS: readonly string[] = [
  'google.handOverSharedDrives',
  'google.handOverGroups',
  'google.handOverCalendars',
  'google.handOverMeetings',
  'google.delegateToManager',
  'google.transferData',
];
