/**
 * The OAuth scopes Google accepts for each API method the emulator serves (any one of a method's list will do), and
 * Google's refusal of a token that has none of them: so a Google action declaring too few scopes fails its tests.
 */
import { readLocalAccessToken } from '../../credentials/google-local-token';
import type { EmulatorRequest, EmulatorResponse } from '../server';
import { pathPattern } from './http';

const auth = (...names: string[]) => names.map((n) => (n.startsWith('https://') ? n : `https://www.googleapis.com/auth/${n}`));

const USERS = '/admin/directory/v1/users';
const USER = `${USERS}/:userKey`;
const ORGUNITS = '/admin/directory/v1/customer/:customerId/orgunits';
const GROUPS = '/admin/directory/v1/groups';
const DEVICES = '/admin/directory/v1/customer/:customerId/devices/mobile';
const LICENSING = '/apps/licensing/v1/product/:productId';
const TRANSFER = '/admin/datatransfer/v1';
const MESSAGES = '/gmail/v1/users/:userId/messages';
const SETTINGS = '/gmail/v1/users/:userId/settings';
const ACL = '/calendar/v3/calendars/:calendarId/acl';

const USER_READ = auth('admin.directory.user', 'admin.directory.user.readonly');
const USER_WRITE = auth('admin.directory.user');
const USER_SECURITY = auth('admin.directory.user.security');
const GROUP_READ = auth('admin.directory.group', 'admin.directory.group.readonly');
const MEMBER_READ = auth('admin.directory.group', 'admin.directory.group.member', 'admin.directory.group.member.readonly', 'admin.directory.group.readonly');
const MEMBER_WRITE = auth('admin.directory.group', 'admin.directory.group.member');
const LICENSES = auth('apps.licensing');
const TRANSFER_READ = auth('admin.datatransfer', 'admin.datatransfer.readonly');
const GMAIL_SETTINGS_READ = auth('https://mail.google.com/', 'gmail.modify', 'gmail.readonly', 'gmail.settings.basic');
const GMAIL_SHARING = auth('gmail.settings.sharing');
const DRIVE_PERMISSION_READ = auth('drive', 'drive.file', 'drive.readonly', 'drive.metadata', 'drive.metadata.readonly');
const ACL_READ = auth('calendar', 'calendar.acls', 'calendar.acls.readonly');
const ACL_WRITE = auth('calendar', 'calendar.acls');
const VAULT = '/v1/matters';
const VAULT_READ = auth('ediscovery', 'ediscovery.readonly');
const VAULT_WRITE = auth('ediscovery');

/** [method, path template, accepted scopes, the service Google names in its refusal]. */
const RULES: [string, string, readonly string[], string][] = [
  ['GET', USERS, USER_READ, 'admin'],
  ['POST', USERS, USER_WRITE, 'admin'],
  ['GET', USER, USER_READ, 'admin'],
  ['PUT', USER, USER_WRITE, 'admin'],
  ['PATCH', USER, USER_WRITE, 'admin'],
  ['DELETE', USER, USER_WRITE, 'admin'],
  ['POST', `${USER}/undelete`, USER_WRITE, 'admin'],
  ['POST', `${USER}/signOut`, USER_SECURITY, 'admin'],
  ['GET', `${USER}/tokens`, USER_SECURITY, 'admin'],
  ['GET', `${USER}/tokens/:clientId`, USER_SECURITY, 'admin'],
  ['DELETE', `${USER}/tokens/:clientId`, USER_SECURITY, 'admin'],
  ['GET', `${USER}/asps`, USER_SECURITY, 'admin'],
  ['GET', `${USER}/asps/:codeId`, USER_SECURITY, 'admin'],
  ['DELETE', `${USER}/asps/:codeId`, USER_SECURITY, 'admin'],
  ['GET', `${USER}/verificationCodes`, USER_SECURITY, 'admin'],
  ['POST', `${USER}/verificationCodes/generate`, USER_SECURITY, 'admin'],
  ['POST', `${USER}/verificationCodes/invalidate`, USER_SECURITY, 'admin'],
  ['POST', `${USER}/twoStepVerification/turnOff`, USER_SECURITY, 'admin'],
  ['GET', `${USER}/aliases`, auth('admin.directory.user', 'admin.directory.user.readonly', 'admin.directory.user.alias', 'admin.directory.user.alias.readonly'), 'admin'],
  ['POST', `${USER}/aliases`, auth('admin.directory.user', 'admin.directory.user.alias'), 'admin'],
  ['DELETE', `${USER}/aliases/:alias`, auth('admin.directory.user', 'admin.directory.user.alias'), 'admin'],
  ['GET', '/admin/directory/v1/customers/:customerKey', auth('admin.directory.customer', 'admin.directory.customer.readonly'), 'admin'],
  ['GET', ORGUNITS, auth('admin.directory.orgunit', 'admin.directory.orgunit.readonly'), 'admin'],
  ['GET', `${ORGUNITS}/*orgUnitPath`, auth('admin.directory.orgunit', 'admin.directory.orgunit.readonly'), 'admin'],
  ['POST', ORGUNITS, auth('admin.directory.orgunit'), 'admin'],
  ['GET', GROUPS, GROUP_READ, 'admin'],
  ['POST', GROUPS, auth('admin.directory.group'), 'admin'],
  ['GET', `${GROUPS}/:groupKey`, GROUP_READ, 'admin'],
  ['DELETE', `${GROUPS}/:groupKey`, auth('admin.directory.group'), 'admin'],
  ['GET', `${GROUPS}/:groupKey/members`, MEMBER_READ, 'admin'],
  ['POST', `${GROUPS}/:groupKey/members`, MEMBER_WRITE, 'admin'],
  ['GET', `${GROUPS}/:groupKey/members/:memberKey`, MEMBER_READ, 'admin'],
  ['PUT', `${GROUPS}/:groupKey/members/:memberKey`, MEMBER_WRITE, 'admin'],
  ['PATCH', `${GROUPS}/:groupKey/members/:memberKey`, MEMBER_WRITE, 'admin'],
  ['DELETE', `${GROUPS}/:groupKey/members/:memberKey`, MEMBER_WRITE, 'admin'],
  ['GET', `${GROUPS}/:groupKey/hasMember/:memberKey`, MEMBER_READ, 'admin'],
  ['GET', '/admin/directory/v1/customer/:customer/domainaliases', auth('admin.directory.domain', 'admin.directory.domain.readonly'), 'admin'],
  ['GET', '/admin/directory/v1/customer/:customer/domainaliases/:domainAliasName', auth('admin.directory.domain', 'admin.directory.domain.readonly'), 'admin'],
  ['GET', DEVICES, auth('admin.directory.device.mobile', 'admin.directory.device.mobile.action', 'admin.directory.device.mobile.readonly'), 'admin'],
  ['GET', `${DEVICES}/:resourceId`, auth('admin.directory.device.mobile', 'admin.directory.device.mobile.action', 'admin.directory.device.mobile.readonly'), 'admin'],
  ['DELETE', `${DEVICES}/:resourceId`, auth('admin.directory.device.mobile'), 'admin'],
  ['POST', `${DEVICES}/:resourceId/action`, auth('admin.directory.device.mobile', 'admin.directory.device.mobile.action'), 'admin'],
  ['GET', `${LICENSING}/sku/:skuId/user/:userId`, LICENSES, 'licensing'],
  ['POST', `${LICENSING}/sku/:skuId/user`, LICENSES, 'licensing'],
  ['DELETE', `${LICENSING}/sku/:skuId/user/:userId`, LICENSES, 'licensing'],
  ['PATCH', `${LICENSING}/sku/:skuId/user/:userId`, LICENSES, 'licensing'],
  ['PUT', `${LICENSING}/sku/:skuId/user/:userId`, LICENSES, 'licensing'],
  ['GET', `${LICENSING}/sku/:skuId/users`, LICENSES, 'licensing'],
  ['GET', `${LICENSING}/users`, LICENSES, 'licensing'],
  ['GET', `${TRANSFER}/applications`, TRANSFER_READ, 'admin'],
  ['GET', `${TRANSFER}/applications/:applicationId`, TRANSFER_READ, 'admin'],
  ['POST', `${TRANSFER}/transfers`, auth('admin.datatransfer'), 'admin'],
  ['GET', `${TRANSFER}/transfers`, TRANSFER_READ, 'admin'],
  ['GET', `${TRANSFER}/transfers/:dataTransferId`, TRANSFER_READ, 'admin'],
  // Which of these a mailbox may also use (gmail.metadata refuses q, for one) the Gmail module checks itself.
  ['POST', `${MESSAGES}/send`, auth('https://mail.google.com/', 'gmail.modify', 'gmail.compose', 'gmail.send'), 'gmail'],
  ['GET', MESSAGES, auth('https://mail.google.com/', 'gmail.modify', 'gmail.readonly', 'gmail.metadata'), 'gmail'],
  ['GET', `${MESSAGES}/:id`, auth('https://mail.google.com/', 'gmail.modify', 'gmail.readonly', 'gmail.metadata'), 'gmail'],
  ['GET', `${SETTINGS}/vacation`, GMAIL_SETTINGS_READ, 'gmail'],
  ['PUT', `${SETTINGS}/vacation`, auth('gmail.settings.basic'), 'gmail'],
  ['GET', `${SETTINGS}/delegates`, GMAIL_SETTINGS_READ, 'gmail'],
  ['GET', `${SETTINGS}/delegates/:delegateEmail`, GMAIL_SETTINGS_READ, 'gmail'],
  ['POST', `${SETTINGS}/delegates`, GMAIL_SHARING, 'gmail'],
  ['DELETE', `${SETTINGS}/delegates/:delegateEmail`, GMAIL_SHARING, 'gmail'],
  ['GET', `${SETTINGS}/forwardingAddresses`, GMAIL_SETTINGS_READ, 'gmail'],
  ['GET', `${SETTINGS}/forwardingAddresses/:forwardingEmail`, GMAIL_SETTINGS_READ, 'gmail'],
  ['POST', `${SETTINGS}/forwardingAddresses`, GMAIL_SHARING, 'gmail'],
  ['DELETE', `${SETTINGS}/forwardingAddresses/:forwardingEmail`, GMAIL_SHARING, 'gmail'],
  ['GET', `${SETTINGS}/autoForwarding`, GMAIL_SETTINGS_READ, 'gmail'],
  ['PUT', `${SETTINGS}/autoForwarding`, GMAIL_SHARING, 'gmail'],
  ['GET', `${SETTINGS}/pop`, GMAIL_SETTINGS_READ, 'gmail'],
  ['PUT', `${SETTINGS}/pop`, auth('gmail.settings.basic'), 'gmail'],
  ['GET', `${SETTINGS}/imap`, GMAIL_SETTINGS_READ, 'gmail'],
  ['PUT', `${SETTINGS}/imap`, auth('gmail.settings.basic'), 'gmail'],
  ['GET', `${SETTINGS}/sendAs`, GMAIL_SETTINGS_READ, 'gmail'],
  ['GET', `${SETTINGS}/sendAs/:sendAsEmail`, GMAIL_SETTINGS_READ, 'gmail'],
  ['POST', `${SETTINGS}/sendAs`, GMAIL_SHARING, 'gmail'],
  ['DELETE', `${SETTINGS}/sendAs/:sendAsEmail`, GMAIL_SHARING, 'gmail'],
  [
    'GET',
    '/drive/v3/files',
    auth('drive', 'drive.readonly', 'drive.metadata', 'drive.metadata.readonly', 'drive.file', 'drive.appdata', 'drive.photos.readonly', 'drive.meet.readonly'),
    'drive',
  ],
  ['GET', '/drive/v3/drives', auth('drive', 'drive.readonly'), 'drive'],
  ['GET', '/drive/v3/files/:fileId/permissions', DRIVE_PERMISSION_READ, 'drive'],
  ['GET', '/drive/v3/files/:fileId/permissions/:permissionId', DRIVE_PERMISSION_READ, 'drive'],
  ['POST', '/drive/v3/files/:fileId/permissions', auth('drive', 'drive.file'), 'drive'],
  ['PATCH', '/drive/v3/files/:fileId/permissions/:permissionId', auth('drive', 'drive.file'), 'drive'],
  ['GET', '/calendar/v3/users/me/calendarList', auth('calendar', 'calendar.readonly', 'calendar.calendarlist', 'calendar.calendarlist.readonly'), 'calendar-json'],
  ['GET', '/calendar/v3/calendars/:calendarId/events', auth('calendar', 'calendar.readonly', 'calendar.events', 'calendar.events.readonly', 'calendar.events.owned', 'calendar.events.owned.readonly'), 'calendar-json'],
  ['GET', ACL, ACL_READ, 'calendar-json'],
  ['POST', ACL, ACL_WRITE, 'calendar-json'],
  ['GET', `${ACL}/:ruleId`, ACL_READ, 'calendar-json'],
  ['DELETE', `${ACL}/:ruleId`, ACL_WRITE, 'calendar-json'],
  // Vault: a hold's custom methods (`{holdId}:addHeldAccounts`) share the hold's path.
  ['POST', VAULT, VAULT_WRITE, 'vault'],
  ['GET', VAULT, VAULT_READ, 'vault'],
  ['GET', `${VAULT}/:matterId`, VAULT_READ, 'vault'],
  ['POST', `${VAULT}/:matterId`, VAULT_WRITE, 'vault'],
  ['DELETE', `${VAULT}/:matterId`, VAULT_WRITE, 'vault'],
  ['POST', `${VAULT}/:matterId/holds`, VAULT_WRITE, 'vault'],
  ['GET', `${VAULT}/:matterId/holds`, VAULT_READ, 'vault'],
  ['GET', `${VAULT}/:matterId/holds/*hold`, VAULT_READ, 'vault'],
  ['POST', `${VAULT}/:matterId/holds/*hold`, VAULT_WRITE, 'vault'],
  ['DELETE', `${VAULT}/:matterId/holds/*hold`, VAULT_WRITE, 'vault'],
];

const COMPILED = RULES.map(([method, template, scopes, service]) => ({ method, template, pattern: pathPattern(template), scopes, service: `${service}.googleapis.com` }));

/** The rule for a request: the scopes that allow it and the service that answers it; undefined for a path no rule names. */
export function scopeRule(method: string, path: string): { template: string; scopes: readonly string[]; service: string } | undefined {
  return COMPILED.find((r) => r.method === method && r.pattern.test(path));
}

/** The templates of every rule, for the test that each served route has one. */
export const SCOPED_ROUTES: readonly { method: string; template: string }[] = COMPILED.map(({ method, template }) => ({ method, template }));

/** Google's answer to a token without any scope the method accepts: 403, with the ErrorInfo reason clients match on. */
export function insufficientScopes(service: string): EmulatorResponse {
  const message = 'Request had insufficient authentication scopes.';
  return {
    status: 403,
    body: {
      error: {
        code: 403,
        message,
        errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }],
        status: 'PERMISSION_DENIED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com', metadata: { service } }],
      },
    },
  };
}

/**
 * The refusal for a request whose token names its scopes (local/credentials/google-local-token.ts) and holds none the method accepts, or
 * undefined when it may go on. A token that names no scopes is not one our clients make: it is let through as
 * before (the emulator takes any bearer token), as is a path no rule names, which the rule table's test forbids.
 */
export function scopeRefusal(req: EmulatorRequest): EmulatorResponse | undefined {
  const claims = readLocalAccessToken((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
  if (!claims) return undefined;
  const rule = scopeRule(req.method, req.path);
  if (!rule) return undefined;
  return claims.scopes.some((s) => rule.scopes.includes(s)) ? undefined : insufficientScopes(rule.service);
}
