/** The REST API: which routes exist, who may call them, what is validated and how the stage is throttled and logged. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildStage, DEPLOYED_STAGES, type BuiltStage } from './build-stacks';
import { logicalId, methodsByRoute, resourceOf } from './template-helpers';

const OPERATOR_ROUTES = [
  'GET /v1/employees/{id}',
  'GET /v1/runs',
  'GET /v1/alerts',
  'POST /v1/runs/{runId}/cancel',
  'POST /v1/runs/{runId}/steps/{stepId}/retry',
  'POST /v1/runs/{runId}/steps/{stepId}/skip',
  'POST /v1/runs/{runId}/confirm-account',
  'POST /v1/sweep',
  'GET /v1/quarantine',
  'POST /v1/quarantine/release',
  'POST /v1/quarantine/reject',
];
const OPEN_ROUTES = ['POST /v1/events', 'GET /health'];
/** The welcome email's one-time link: the token in the path is the credential. */
const WELCOME_ROUTES = ['GET /v1/welcome/{token}', 'POST /v1/welcome/{token}'];

describe.each(DEPLOYED_STAGES)('API (%s)', (stage) => {
  let built: BuiltStage;
  let template: Template;
  let routes: Map<string, Record<string, unknown>>;

  beforeAll(() => {
    built = buildStage(stage);
    template = Template.fromStack(built.core);
    routes = methodsByRoute(template);
  });

  it('serves exactly the intake, health and operator routes', () => {
    expect([...routes.keys()].sort()).toEqual([...OPEN_ROUTES, ...WELCOME_ROUTES, ...OPERATOR_ROUTES].sort());
  });

  it.each(WELCOME_ROUTES)('%s is open (no IAM, no HMAC): its one-time token is the credential', (route) => {
    expect(routes.get(route)?.AuthorizationType).toBe('NONE');
  });

  it.each(OPERATOR_ROUTES)('%s requires a SigV4-signed request (AWS_IAM)', (route) => {
    expect(routes.get(route)?.AuthorizationType).toBe('AWS_IAM');
  });

  it.each(OPEN_ROUTES)('%s is not behind IAM: the HR system signs with HMAC, the health check is open', (route) => {
    expect(routes.get(route)?.AuthorizationType).toBe('NONE');
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
