/**
 * How operators sign in on AWS: a Cognito user pool with a hosted sign-in domain, a public app client for people
 * (authorization code with PKCE, the CLI's localhost callback), a confidential client-credentials client for
 * machines, a resource server with one scope per group, and the groups the API's permissions follow.
 */
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  CLI_CALLBACK_PORTS,
  GROUP_DESCRIPTIONS,
  GROUP_SCOPES,
  MACHINE_GROUPS_DEFAULT,
  OPERATOR_GROUPS,
  RESOURCE_SERVER_ID,
  SIGN_IN_OUTPUTS,
  cliCallbackUrl,
  cliSignedOutUrl,
  type OperatorGroup,
} from '../../lambdas/http/operator-access';

/** The company's identity provider over SAML: people then sign in with their company account. */
export interface SamlFederation {
  /** Shown on the hosted sign-in page's button, e.g. `Company`. */
  readonly name: string;
  /** The IdP's SAML metadata URL (Entra ID, Okta, Google Workspace all publish one). */
  readonly metadataUrl: string;
}

export interface OperatorSignInProps {
  readonly stage: string;
  /** Default: `lifecycle-<stage>-<account id>`: the prefix must be unique in the region across all of AWS. */
  readonly domainPrefix?: string;
  /** Which groups' scopes the machine client may request; default viewer and operator (approving is a person's). */
  readonly machineGroups?: readonly OperatorGroup[];
  /** Optional: people sign in through the company IdP as well (docs/api.md). */
  readonly saml?: SamlFederation;
}

export class OperatorSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  /** People: the CLI (and any other tool a person runs) signs in with it. */
  readonly cliClient: cognito.UserPoolClient;
  /** Machines: other services and scripts get an access token with client credentials. */
  readonly machineClient: cognito.UserPoolClient;
  readonly resourceServer: cognito.UserPoolResourceServer;
  readonly groups: Readonly<Record<OperatorGroup, cognito.UserPoolGroup>>;
  /** Where people may sign in from: Cognito's own users, and the company IdP when there is one. */
  private readonly peopleProviders: cognito.UserPoolClientIdentityProvider[];
  private readonly companyIdp?: cognito.UserPoolIdentityProviderSaml;

  constructor(scope: Construct, id: string, props: OperatorSignInProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `account-lifecycle-${props.stage}-operators`,
      // Operators are invited by an administrator (or come through the company IdP); nobody signs themselves up.
      selfSignUpEnabled: false,
      // A readable user name, because an access token names the person by it in the audit trail.
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // These people can cut anyone's access: threat protection (compromised passwords, risky sign-ins blocked) is
      // worth the Plus plan's per-user price for a handful of operators.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // The pool holds the people who may act on accounts; deleting the stack must not lose them.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? Fn.join('-', ['lifecycle', props.stage, Stack.of(this).account]) },
      // Managed login walks a first-time operator through setting up their authenticator app.
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.resourceServer = this.userPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: `account-lifecycle ${props.stage} API`,
      scopes: OPERATOR_GROUPS.map((g) => new cognito.ResourceServerScope({ scopeName: GROUP_SCOPES[g], scopeDescription: `What the ${g} group may do: ${GROUP_DESCRIPTIONS[g]}` })),
    });

    const providers = [cognito.UserPoolClientIdentityProvider.COGNITO];
    let idp: cognito.UserPoolIdentityProviderSaml | undefined;
    if (props.saml) {
      idp = new cognito.UserPoolIdentityProviderSaml(this, 'CompanyIdp', {
        userPool: this.userPool,
        name: props.saml.name,
        metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(props.saml.metadataUrl),
        attributeMapping: { email: cognito.ProviderAttribute.other('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress') },
      });
      providers.push(cognito.UserPoolClientIdentityProvider.custom(idp.providerName));
    }

    this.cliClient = this.userPool.addClient('CliClient', {
      userPoolClientName: 'lifecycle-cli',
      // A public client: the CLI runs on people's machines and cannot keep a secret, so it proves itself with PKCE.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: CLI_CALLBACK_PORTS.map(cliCallbackUrl),
        logoutUrls: CLI_CALLBACK_PORTS.map(cliSignedOutUrl),
      },
      supportedIdentityProviders: providers,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // A working day, as an SSO session: `npx lifecycle login` again the next morning.
      refreshTokenValidity: Duration.hours(12),
    });
    // The client names the IdP, which must exist first.
    if (idp) this.cliClient.node.addDependency(idp);
    this.peopleProviders = providers;
    this.companyIdp = idp;

    // Managed login shows a client's pages only once the client has a style; Cognito's own is enough.
    new cognito.CfnManagedLoginBranding(this, 'CliSignInStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.cliClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    const machineGroups = props.machineGroups ?? MACHINE_GROUPS_DEFAULT;
    this.machineClient = this.userPool.addClient('MachineClient', {
      userPoolClientName: 'lifecycle-machines',
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true, authorizationCodeGrant: false, implicitCodeGrant: false },
        scopes: machineGroups.map((g) => cognito.OAuthScope.resourceServer(this.resourceServer, new cognito.ResourceServerScope({ scopeName: GROUP_SCOPES[g], scopeDescription: GROUP_DESCRIPTIONS[g] }))),
      },
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
    });

    this.groups = Object.fromEntries(
      OPERATOR_GROUPS.map((g) => [g, this.userPool.addGroup(`Group-${g}`, { groupName: g, description: GROUP_DESCRIPTIONS[g] })]),
    ) as Record<OperatorGroup, cognito.UserPoolGroup>;

    const stack = Stack.of(this);
    // Stack-level ids, so the output keys are exactly these names: the CLI reads them by name.
    new CfnOutput(stack, SIGN_IN_OUTPUTS.userPoolId, { value: this.userPool.userPoolId, description: 'Operators user pool: add people and put them in viewer, operator or approver' });
    new CfnOutput(stack, SIGN_IN_OUTPUTS.signInUrl, { value: this.domain.baseUrl(), description: 'Hosted sign-in: /oauth2/authorize and /oauth2/token live under it' });
    new CfnOutput(stack, SIGN_IN_OUTPUTS.cliClientId, { value: this.cliClient.userPoolClientId, description: 'App client id `npx lifecycle login` signs in with (PKCE, no secret)' });
    new CfnOutput(stack, SIGN_IN_OUTPUTS.machineClientId, { value: this.machineClient.userPoolClientId, description: 'App client for services and scripts (client credentials; secret in the Cognito console)' });

  }

  /**
   * The operator console's app client: people in a browser, so public (no secret), the authorization code grant only
   * (the console sends a PKCE challenge; no implicit grant, no password flows), coming back to the console's callback
   * on its distribution. The console keeps the access token for the tab and nothing else, so the refresh token lives
   * the shortest time Cognito allows.
   */
  addConsoleClient(urls: { callbackUrl: string; signOutUrl: string }): cognito.UserPoolClient {
    const client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'lifecycle-console',
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [urls.callbackUrl],
        logoutUrls: [urls.signOutUrl],
      },
      supportedIdentityProviders: this.peopleProviders,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(1),
    });
    // Only the hosted sign-in hands this client tokens: no SRP, password or custom flows straight to Cognito.
    (client.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    if (this.companyIdp) client.node.addDependency(this.companyIdp);
    new cognito.CfnManagedLoginBranding(this, 'ConsoleSignInStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    return client;
  }
}
