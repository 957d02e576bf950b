/** Every action definition by name: what the in-process invoker (local runtime, tests) runs. */
import type { ActionDefinition } from './define-action';
import { forwardEvent } from './forward/forward-event';
import type { ActionName } from './catalog';
import { removeConnectAgent } from './connect/remove-agent';
import { restoreGroups } from './google/restore-groups';
import { restoreDelegates } from './google/restore-delegates';
import { restoreForwarding } from './google/restore-forwarding';
import { restoreDirectoryVisibility } from './google/restore-directory-visibility';
import { restoreAutoReply } from './google/restore-auto-reply';
import { unsuspendUser } from './google/unsuspend-user';
import { undeleteUser } from './google/undelete-user';
import { restoreOrgUnit } from './google/restore-org-unit';
import { restoreLicenses } from './google/restore-licenses';
import { restoreConnectAgent } from './connect/restore-agent';
import { deleteUser } from './google/delete-user';
import { moveToOrgUnit } from './google/move-to-org-unit';
import { removeDelegation } from './google/remove-delegation';
import { removeLicenses } from './google/remove-licenses';
import { suspendUser } from './google/suspend-user';
import { transferData } from './google/transfer-data';
import { signOut } from './google/sign-out';
import { resetPassword } from './google/reset-password';
import { revokeTokens } from './google/revoke-tokens';
import { deleteAppPasswords } from './google/delete-app-passwords';
import { invalidateBackupCodes } from './google/invalidate-backup-codes';
import { turnOffTwoStep } from './google/turn-off-two-step';
import { removeExternalForwarding } from './google/remove-external-forwarding';
import { wipeMobileDevices } from './google/wipe-mobile-devices';
import { setAutoReply } from './google/set-auto-reply';
import { delegateToManager } from './google/delegate-to-manager';
import { hideFromDirectory } from './google/hide-from-directory';
import { removeFromGroups } from './google/remove-from-groups';
import { createUser } from './google/create-user';
import { sendWelcomeEmail } from './google/send-welcome-email';
import { sendJoinerSummary } from './google/send-joiner-summary';
import { assignLicense } from './google/assign-license';
import { addToGroups } from './google/add-to-groups';
import { shareCalendars } from './google/share-calendars';
import { createConnectAgent } from './connect/create-agent';
import { updateCustomSchemas } from './google/update-custom-schemas';
import { unshareCalendars } from './google/unshare-calendars';
import { updateConnectAgent } from './connect/update-agent';


export const ACTION_DEFINITIONS: Record<ActionName, ActionDefinition<never>> = {
  'forward.event': forwardEvent as ActionDefinition<never>,
  'connect.removeAgent': removeConnectAgent as ActionDefinition<never>,
  'connect.restoreAgent': restoreConnectAgent as ActionDefinition<never>,
  'google.restoreGroups': restoreGroups as ActionDefinition<never>,
  'google.restoreDelegates': restoreDelegates as ActionDefinition<never>,
  'google.restoreForwarding': restoreForwarding as ActionDefinition<never>,
  'google.restoreDirectoryVisibility': restoreDirectoryVisibility as ActionDefinition<never>,
  'google.restoreAutoReply': restoreAutoReply as ActionDefinition<never>,
  'google.undeleteUser': undeleteUser as ActionDefinition<never>,
  'google.unsuspendUser': unsuspendUser as ActionDefinition<never>,
  'google.restoreOrgUnit': restoreOrgUnit as ActionDefinition<never>,
  'google.restoreLicenses': restoreLicenses as ActionDefinition<never>,
  'google.transferData': transferData as ActionDefinition<never>,
  'google.removeDelegation': removeDelegation as ActionDefinition<never>,
  'google.suspendUser': suspendUser as ActionDefinition<never>,
  'google.moveToOrgUnit': moveToOrgUnit as ActionDefinition<never>,
  'google.removeLicenses': removeLicenses as ActionDefinition<never>,
  'google.deleteUser': deleteUser as ActionDefinition<never>,
  'google.signOut': signOut as ActionDefinition<never>,
  'google.resetPassword': resetPassword as ActionDefinition<never>,
  'google.revokeTokens': revokeTokens as ActionDefinition<never>,
  'google.deleteAppPasswords': deleteAppPasswords as ActionDefinition<never>,
  'google.invalidateBackupCodes': invalidateBackupCodes as ActionDefinition<never>,
  'google.turnOffTwoStep': turnOffTwoStep as ActionDefinition<never>,
  'google.removeExternalForwarding': removeExternalForwarding as ActionDefinition<never>,
  'google.wipeMobileDevices': wipeMobileDevices as ActionDefinition<never>,
  'google.setAutoReply': setAutoReply as ActionDefinition<never>,
  'google.delegateToManager': delegateToManager as ActionDefinition<never>,
  'google.hideFromDirectory': hideFromDirectory as ActionDefinition<never>,
  'google.removeFromGroups': removeFromGroups as ActionDefinition<never>,
  'google.createUser': createUser as ActionDefinition<never>,
  'google.sendWelcomeEmail': sendWelcomeEmail as ActionDefinition<never>,
  'google.sendJoinerSummary': sendJoinerSummary as ActionDefinition<never>,
  'google.assignLicense': assignLicense as ActionDefinition<never>,
  'google.addToGroups': addToGroups as ActionDefinition<never>,
  'google.shareCalendars': shareCalendars as ActionDefinition<never>,
  'connect.createAgent': createConnectAgent as ActionDefinition<never>,
  'google.updateCustomSchemas': updateCustomSchemas as ActionDefinition<never>,
  'google.unshareCalendars': unshareCalendars as ActionDefinition<never>,
  'connect.updateAgent': updateConnectAgent as ActionDefinition<never>,
};
