/**
 * Who may do what on the operator routes: the permissions, the groups people are put in, the OAuth scopes machines
 * are given, and the token claims each is read from. Data only, so the CDK app and the Lambda read the same facts.
 */

/** Each thing an operator route does, named as a 403 names it. */
export const OPERATOR_PERMISSIONS = [
  'read',
  'retry',
  'skip',
  'cancel',
  'sweep',
  'confirm-account',
  'replan',
  'approve',
  'reject',
  'quarantine-release',
  'quarantine-reject',
  'send-event',
] as const;
export type Permission = (typeof OPERATOR_PERMISSIONS)[number];

/** The user pool groups people are put in (the same names locally). */
export const OPERATOR_GROUPS = ['viewer', 'operator', 'approver'] as const;
export type OperatorGroup = (typeof OPERATOR_GROUPS)[number];

/**
 * What each group may do. Operators and approvers read too: nobody retries or approves what they cannot see.
 * Approving stays apart from running steps, so a plan can need a second person.
 */
export const GROUP_PERMISSIONS: Readonly<Record<OperatorGroup, readonly Permission[]>> = {
  viewer: ['read'],
  operator: ['read', 'retry', 'skip', 'cancel', 'sweep', 'confirm-account', 'replan'],
  // Sending an event from the console starts joiners, movers and leavers without HR: a decision like approving one.
  approver: ['read', 'approve', 'reject', 'quarantine-release', 'quarantine-reject', 'send-event'],
};

export const GROUP_DESCRIPTIONS: Readonly<Record<OperatorGroup, string>> = {
  viewer: 'Reads employees, runs, alerts, roles and the quarantine',
  operator: 'Reads; retries, skips and cancels steps, sweeps, confirms accounts, plans runs again',
  approver: 'Reads; approves and rejects plans, releases and rejects the quarantine, sends events from the console',
};

/** The resource server machines get their scopes from: a scope is `<identifier>/<name>`. */
export const RESOURCE_SERVER_ID = 'account-lifecycle';

/** One scope per group, granting a machine what the group grants a person. */
export const GROUP_SCOPES: Readonly<Record<OperatorGroup, string>> = {
  viewer: 'read',
  operator: 'operate',
  approver: 'approve',
};

/** The full scope names, as they appear in an access token's `scope` claim. */
export const fullScope = (group: OperatorGroup): string => `${RESOURCE_SERVER_ID}/${GROUP_SCOPES[group]}`;

/**
 * Scopes the machine app client may request. Approving a plan or releasing a quarantine is a person's decision,
 * so no machine is given the approve scope unless a stage asks for it.
 */
export const MACHINE_GROUPS_DEFAULT: readonly OperatorGroup[] = ['viewer', 'operator'];

/** A person's access token from the hosted sign-in carries `openid`; the API accepts it and then reads the groups. */
export const PEOPLE_SCOPE = 'openid';

/** The groups whose members (or scopes whose holders) may use a permission. */
export const groupsWith = (permission: Permission): OperatorGroup[] => OPERATOR_GROUPS.filter((g) => GROUP_PERMISSIONS[g].includes(permission));

/** The token claims the API reads, as API Gateway's Cognito authorizer passes them (`requestContext.authorizer.claims`). */
export const CLAIMS = {
  /** People: the groups, a string (`viewer` or `operator,approver`; some gateways write `[operator approver]`). */
  groups: 'cognito:groups',
  /** Machines: the granted scopes, space separated. */
  scope: 'scope',
  /** ID tokens: the person's email, preferred as their name. */
  email: 'email',
  /** Access tokens: the person's user name. */
  username: 'username',
  /** ID tokens: the person's user name. */
  idTokenUsername: 'cognito:username',
  /** Access tokens: the app client; for a machine it is its name in the audit trail. */
  clientId: 'client_id',
  /** The token's subject: the user's (or app client's) stable id. */
  subject: 'sub',
  /** `access` or `id`. */
  tokenUse: 'token_use',
} as const;

/**
 * Where the CLI listens for the sign-in code: the people's app client allows exactly these callbacks, the first
 * free port wins. Cognito matches callback URLs exactly, port included.
 */
export const CLI_CALLBACK_PORTS = [8976, 8977, 8978] as const;
export const CLI_CALLBACK_PATH = '/callback';
export const CLI_SIGNED_OUT_PATH = '/signed-out';
export const cliCallbackUrl = (port: number): string => `http://localhost:${port}${CLI_CALLBACK_PATH}`;
export const cliSignedOutUrl = (port: number): string => `http://localhost:${port}${CLI_SIGNED_OUT_PATH}`;

/** The Core Stack outputs the CLI reads to sign in (CloudFormation output keys). */
export const SIGN_IN_OUTPUTS = {
  userPoolId: 'OperatorUserPoolId',
  signInUrl: 'OperatorSignInUrl',
  cliClientId: 'OperatorCliClientId',
  machineClientId: 'OperatorMachineClientId',
  /** The stage's API URL, where the signed-in CLI sends its calls. */
  apiUrl: 'ApiUrl',
} as const;
