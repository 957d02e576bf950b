/** The REST API: which routes exist (the route table's, all of them), who may call them, what is validated and how the stage is throttled and logged. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildStage, DEPLOYED_STAGES, type BuiltStage } from './build-stacks';
import { logicalId, methodsByRoute, resourceOf } from './template-helpers';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { silentLog, type EngineDeps } from '../../lambdas/engine/ports';
import { routeApi, type ApiDeps } from '../../lambdas/http/api-routes';
import { CLI_CALLBACK_PORTS, GROUP_PERMISSIONS, GROUP_SCOPES, OPERATOR_GROUPS, SIGN_IN_OUTPUTS } from '../../lambdas/http/operator-access';
import { isOperatorRoute, ROUTES, type RouteSpec } from '../../lambdas/http/route-table';

/** How a route of the table must be deployed: the authorization type API Gateway checks, and for operators the scopes. */
function expectedAuthorization(route: RouteSpec): { type: string; scopes?: string[] } {
  switch (route.auth.kind) {
    // The HR system signs its body with HMAC, checked in the Lambda; the health check is open; the welcome link's token is the credential.
    case 'hr-signature':
    case 'jira-signature':
    case 'openproject-signature':
    case 'public':
    case 'welcome-token':
      return { type: 'NONE' };
    case 'operator': {
      // A person's access token (scope openid; the Lambda then reads the groups) or a machine holding a scope that grants the permission.
      const { permission } = route.auth;
      const holders = OPERATOR_GROUPS.filter((g) => GROUP_PERMISSIONS[g].includes(permission));
      return { type: 'COGNITO_USER_POOLS', scopes: ['openid', ...holders.map((g) => `account-lifecycle/${GROUP_SCOPES[g]}`)] };
    }
  }
}

const deployedAuthorization = (method: Record<string, unknown>) => ({
  type: method.AuthorizationType,
  ...(method.AuthorizationScopes ? { scopes: method.AuthorizationScopes } : {}),
});

const label = (route: RouteSpec) => `${route.method} ${route.path}`;

describe.each(DEPLOYED_STAGES)('API (%s)', (stage) => {
  let built: BuiltStage;
  let template: Template;
  let routes: Map<string, Record<string, unknown>>;

  beforeAll(() => {
    built = buildStage(stage);
    template = Template.fromStack(built.core);
    routes = methodsByRoute(template);
  });

  it('deploys exactly the routes of the route table, which the api function serves', () => {
    expect([...routes.keys()].sort()).toEqual(ROUTES.map(label).sort());
  });

  it('deploys approve, reject, replan, the run and the role catalog routes that once were missing', () => {
    for (const route of ['POST /v1/runs/{runId}/approve', 'POST /v1/runs/{runId}/reject', 'POST /v1/runs/{runId}/replan', 'GET /v1/runs/{runId}', 'GET /v1/roles', 'GET /v1/roles/{name}']) {
      expect({ route, deployed: routes.has(route) }).toEqual({ route, deployed: true });
    }
  });

  it('every deployed route reaches a handler of the router: none answers 404 no route or 405', async () => {
    const deps = { engine: { log: silentLog } as unknown as EngineDeps, hrKeys: async () => ({ current: 'unused' }), operator: () => undefined } as ApiDeps;
    const unserved: string[] = [];
    for (const deployed of routes.keys()) {
      const [method, template] = deployed.split(' ');
      const answer = await routeApi(deps, { httpMethod: method, path: template.replace(/\{[^}]+\}/g, 'x1'), headers: {}, body: null } as unknown as APIGatewayProxyEvent);
      if (answer.statusCode === 405 || (answer.statusCode === 404 && answer.body.includes('no route'))) unserved.push(deployed);
    }
    expect(unserved).toEqual([]);
  });

  it.each(ROUTES.map((r) => [label(r), r] as const))('%s is deployed with the authorization the route table gives it', (name, route) => {
    expect({ route: name, auth: deployedAuthorization(routes.get(name) ?? {}) }).toEqual({ route: name, auth: expectedAuthorization(route) });
  });

  it('operator routes use one Cognito user pools authorizer on the operators pool, reading the Authorization header', () => {
    const authorizers = template.findResources('AWS::ApiGateway::Authorizer');
    expect(Object.keys(authorizers)).toHaveLength(1);
    const [authorizerId] = Object.keys(authorizers);
    const poolId = logicalId(built.core.signIn.userPool);
    expect(authorizers[authorizerId].Properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [poolId, 'Arn'] }],
    });
    for (const route of ROUTES.filter(isOperatorRoute)) {
      expect({ route: label(route), authorizer: routes.get(label(route))?.AuthorizerId }).toEqual({ route: label(route), authorizer: { Ref: authorizerId } });
    }
  });

  it('every route is a Lambda proxy to the api function', () => {
    const apiFunction = logicalId(built.core.functions.api.function);
    for (const [route, method] of routes) {
      expect({ route, integration: method.Integration }).toMatchObject({
        route,
        integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
      expect(JSON.stringify(method.Integration)).toContain(`"${apiFunction}","Arn"`);
    }
  });

  it('validates the body of POST /v1/events against a model requiring eventId and type', () => {
    const events = routes.get('POST /v1/events') ?? {};
    const validatorId = (events.RequestValidatorId as { Ref: string }).Ref;
    const modelId = (events.RequestModels as Record<string, { Ref: string }>)['application/json'].Ref;
    expect(resourceOf(template, 'AWS::ApiGateway::RequestValidator', validatorId).Properties).toMatchObject({
      ValidateRequestBody: true,
    });
    expect(resourceOf(template, 'AWS::ApiGateway::Model', modelId).Properties).toMatchObject({
      ContentType: 'application/json',
      Schema: { type: 'object', required: ['eventId', 'type'] },
    });
  });

  it('throttles the stage with the configured limits and writes access logs', () => {
    const { rateLimit, burstLimit } = built.config.apiThrottle;
    expect({ dev: [20, 40], prod: [50, 100] }[stage]).toEqual([rateLimit, burstLimit]);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: stage,
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') }),
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: rateLimit,
          ThrottlingBurstLimit: burstLimit,
          DataTraceEnabled: false,
        }),
      ],
    });
  });

  it('keeps access logs for the stage retention and on delete', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: built.config.logRetentionDays },
    });
  });
});

describe.each(DEPLOYED_STAGES)('operator sign-in (%s)', (stage) => {
  let built: BuiltStage;
  let template: Template;
  const clientNamed = (name: string) => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient', { Properties: { ClientName: name } }));
    expect(clients).toHaveLength(1);
    return clients[0].Properties as Record<string, unknown>;
  };

  beforeAll(() => {
    built = buildStage(stage);
    template = Template.fromStack(built.core);
  });

  it('is one user pool of invited people with MFA required and threat protection enforced, kept when the stack goes', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        DeletionProtection: 'ACTIVE',
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true }) },
      }),
    });
  });

  it('has a hosted sign-in domain with managed login styled for the CLI client', () => {
    const pool = { Ref: logicalId(built.core.signIn.userPool) };
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: Match.anyValue(), UserPoolId: pool, ManagedLoginVersion: 2 });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UserPoolId: pool, ClientId: { Ref: logicalId(built.core.signIn.cliClient) }, UseCognitoProvidedValues: true });
  });

  it('gives people a public client: authorization code only (PKCE), no secret, the CLI callbacks on localhost, refresh tokens', () => {
    const cli = clientNamed('lifecycle-cli');
    expect(cli).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: expect.arrayContaining(['openid', 'email']),
      CallbackURLs: CLI_CALLBACK_PORTS.map((port) => `http://localhost:${port}/callback`),
      ExplicitAuthFlows: expect.arrayContaining(['ALLOW_REFRESH_TOKEN_AUTH']),
      EnableTokenRevocation: true,
    });
    expect(JSON.stringify(cli.AllowedOAuthScopes)).not.toContain('account-lifecycle/');
  });

  it('gives machines a client-credentials client with a secret, the read and operate scopes but not approve', () => {
    const machine = clientNamed('lifecycle-machines');
    expect(machine).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'] });
    const scopes = JSON.stringify(machine.AllowedOAuthScopes);
    expect(scopes).toContain('/read');
    expect(scopes).toContain('/operate');
    expect(scopes).not.toContain('/approve');
  });

  it('has a resource server with one scope per group', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'account-lifecycle',
      Scopes: OPERATOR_GROUPS.map((g) => Match.objectLike({ ScopeName: GROUP_SCOPES[g] })),
    });
  });

  it.each(OPERATOR_GROUPS)('has the %s group', (group) => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group, UserPoolId: { Ref: logicalId(built.core.signIn.userPool) } });
  });

  it('outputs what the CLI signs in with, under fixed names', () => {
    const outputs = template.findOutputs('*');
    for (const name of Object.values(SIGN_IN_OUTPUTS)) expect({ name, present: name in outputs }).toEqual({ name, present: true });
    expect(outputs[SIGN_IN_OUTPUTS.cliClientId].Value).toEqual({ Ref: logicalId(built.core.signIn.cliClient) });
    expect(outputs[SIGN_IN_OUTPUTS.userPoolId].Value).toEqual({ Ref: logicalId(built.core.signIn.userPool) });
  });
});
