/** Who is calling an operator route and what they may do: from a Cognito token's claims, or a local token's groups. */
import {
  CLAIMS,
  GROUP_PERMISSIONS,
  GROUP_SCOPES,
  OPERATOR_GROUPS,
  RESOURCE_SERVER_ID,
  fullScope,
  groupsWith,
  type OperatorGroup,
  type Permission,
} from './operator-access';

export interface Caller {
  /** How the audit trail names them: a person's email or user name, a machine's app client id. */
  readonly name: string;
  readonly kind: 'person' | 'machine';
  /** The groups (people) or the groups whose scopes a machine holds. */
  readonly groups: readonly OperatorGroup[];
  /** The token's stable subject (`sub`), when it carries one: a name can change, this does not. */
  readonly subject?: string;
}

const isGroup = (value: string): value is OperatorGroup => (OPERATOR_GROUPS as readonly string[]).includes(value);

/** `cognito:groups` as API Gateway passes it: `a`, `a,b`, `[a b]`, or an array when a test builds the event. */
export function parseGroups(value: unknown): OperatorGroup[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  return [...new Set(items.filter(isGroup))];
}

const scopeToGroup = new Map(OPERATOR_GROUPS.map((g) => [fullScope(g), g] as const));

/** The groups a machine's `scope` claim grants (other scopes, e.g. `openid`, grant nothing). */
export function groupsOfScopes(value: unknown): OperatorGroup[] {
  const scopes = typeof value === 'string' ? value.split(/\s+/) : [];
  return [...new Set(scopes.map((s) => scopeToGroup.get(s)).filter((g): g is OperatorGroup => g !== undefined))];
}

const claim = (claims: Record<string, unknown>, name: string): string | undefined => {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * The caller from the claims API Gateway's Cognito authorizer has verified (locally, local/cognito-authorizer.ts puts
 * them in the same place). A person's token names a user
 * (email on an ID token, user name on an access token) and carries their groups; a machine's client-credentials
 * token names only its app client and carries scopes.
 */
export function callerFromClaims(claims: Record<string, unknown> | undefined | null): Caller | undefined {
  if (!claims) return undefined;
  const sub = claim(claims, CLAIMS.subject);
  const subject = sub ? { subject: sub } : {};
  const person = claim(claims, CLAIMS.email) ?? claim(claims, CLAIMS.username) ?? claim(claims, CLAIMS.idTokenUsername);
  if (person) return { name: person, kind: 'person', groups: parseGroups(claims[CLAIMS.groups]), ...subject };
  const clientId = claim(claims, CLAIMS.clientId);
  if (clientId) return { name: `client:${clientId}`, kind: 'machine', groups: groupsOfScopes(claims[CLAIMS.scope]), ...subject };
  return undefined;
}

export const permissionsOf = (caller: Caller): Set<Permission> => new Set(caller.groups.flatMap((g) => GROUP_PERMISSIONS[g]));

export const mayUse = (caller: Caller, permission: Permission): boolean => permissionsOf(caller).has(permission);

/** Why a caller is refused, naming the permission and who holds it: the text of the 403. */
export function refusal(caller: Caller, permission: Permission): string {
  const holders = groupsWith(permission);
  const has = caller.groups.length ? caller.groups.join(', ') : 'none';
  const how =
    caller.kind === 'person'
      ? `group ${holders.join(' or ')} (${caller.name} is in: ${has})`
      : `scope ${holders.map((g) => `${RESOURCE_SERVER_ID}/${GROUP_SCOPES[g]}`).join(' or ')} (${caller.name} holds: ${caller.groups.map(fullScope).join(', ') || 'none'})`;
  return `missing permission ${permission}: it needs ${how}`;
}
