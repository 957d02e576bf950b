/**
 * The REST API, deployed from the route table the Lambda routes by: HMAC-checked HR intake, an open health check,
 * operator routes behind the operators' Cognito user pool, and the welcome email's one-time password link (its
 * token is the credential), all on one Lambda.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import { acknowledge } from '../nag';
import { PEOPLE_SCOPE, fullScope, groupsWith, type Permission } from '../../lambdas/http/operator-access';
import { pathParams, ROUTES, type RouteAuth, type RouteSpec } from '../../lambdas/http/route-table';

/** The scopes an operator method accepts: a person's sign-in scope, and the scope of each group holding the permission. */
export const scopesFor = (permission: Permission): string[] => [PEOPLE_SCOPE, ...groupsWith(permission).map(fullScope)];

export interface LifecycleApiProps {
  readonly handler: lambda.IFunction;
  /** The operators' user pool: operator routes take its tokens (people's access tokens, machines' client credentials). */
  readonly userPool: cognito.IUserPool;
  /** API Gateway stage name: the lifecycle stage, so URLs say where they point. */
  readonly stageName: string;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetentionDays: logs.RetentionDays;
}

export class LifecycleApi extends Construct {
  readonly api: apigw.RestApi;

  constructor(scope: Construct, id: string, props: LifecycleApiProps) {
    super(scope, id);

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.api = new apigw.RestApi(this, 'Api', {
      description: `account-lifecycle ${props.stageName}: HR events in, operator views and actions`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Access logging needs the account-level API Gateway logging role; kept on delete because
      // it is a per-region account setting other APIs may rely on.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Request bodies carry employee data; execution logs must not copy them.
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
      },
    });

    const integration = new apigw.LambdaIntegration(props.handler, { allowTestInvoke: false });

    // Reject malformed intake before it costs a Lambda invocation; the Lambda still validates the full shape.
    const eventModel = this.api.addModel('HrEventModel', {
      contentType: 'application/json',
      description: 'An HR event: a JSON object with at least eventId and type.',
      schema: {
        schema: apigw.JsonSchemaVersion.DRAFT4,
        title: 'HrEvent',
        type: apigw.JsonSchemaType.OBJECT,
        required: ['eventId', 'type'],
        properties: {
          eventId: { type: apigw.JsonSchemaType.STRING, minLength: 1 },
          type: { type: apigw.JsonSchemaType.STRING, minLength: 1 },
        },
      },
    });
    const validator = this.api.addRequestValidator('EventValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'OperatorAuthorizer', {
      cognitoUserPools: [props.userPool],
      authorizerName: 'operators',
      identitySource: apigw.IdentitySource.header('Authorization'),
    });

    // Every route of the table, authorized as it says; the Lambda checks signatures, tokens and permissions again.
    const methods = ROUTES.map((route) => ({ route, method: this.addRoute(route, integration, { authorizer, validator, eventModel }) }));
    const byKind = (kind: RouteAuth['kind']) => methods.filter((m) => m.route.auth.kind === kind).map((m) => m.method);
    const [events] = byKind('hr-signature');
    const [health] = byKind('public');
    const jira = byKind('jira-signature');
    const openproject = byKind('openproject-signature');
    const welcome = byKind('welcome-token');

    this.suppressFindings(events, health);
    acknowledge(jira, 'AwsSolutions-APIG4', 'Jira Cloud cannot sign SigV4; the api Lambda rejects any /v1/intake/jira request without a valid X-Hub-Signature of its body.');
    acknowledge(jira, 'AwsSolutions-COG4', 'A machine-to-machine webhook from Jira Cloud authenticated by an HMAC signature; there are no end users for a Cognito pool.');
    acknowledge(openproject, 'AwsSolutions-APIG4', 'OpenProject cannot sign SigV4; the api Lambda rejects any /v1/intake/openproject request without a valid X-OP-Signature of its body.');
    acknowledge(openproject, 'AwsSolutions-COG4', 'A machine-to-machine webhook from OpenProject authenticated by an HMAC signature; there are no end users for a Cognito pool.');
    acknowledge(
      welcome,
      'AwsSolutions-APIG4',
      'The welcome link is opened by a new employee with no account yet; its 256-bit one-time token is the credential, checked by hash in the api Lambda, and it reveals only once.',
    );
    acknowledge(
      welcome,
      'AwsSolutions-COG4',
      'The welcome link is opened by a new employee with no account yet; there is no user pool to sign in to before the first password.',
    );
  }

  private addRoute(
    route: RouteSpec,
    integration: apigw.Integration,
    shared: { authorizer: apigw.IAuthorizer; validator: apigw.IRequestValidator; eventModel: apigw.IModel },
  ): apigw.Method {
    const resource = this.api.root.resourceForPath(route.path);
    const pathParameters = Object.fromEntries(pathParams(route.path).map((p) => [`method.request.path.${p}`, true]));
    switch (route.auth.kind) {
      case 'hr-signature':
        // No authorizer: the HR system cannot sign SigV4 or hold a token, so the Lambda verifies the HMAC signature of the raw body.
        return resource.addMethod(route.method, integration, {
          authorizationType: apigw.AuthorizationType.NONE,
          requestValidator: shared.validator,
          requestModels: { 'application/json': shared.eventModel },
        });
      case 'jira-signature':
        // No authorizer: Jira Cloud signs the raw body with the webhook's own secret (X-Hub-Signature), checked in the Lambda.
        return resource.addMethod(route.method, integration, { authorizationType: apigw.AuthorizationType.NONE });
      case 'openproject-signature':
        // No authorizer: OpenProject signs the raw body with the webhook's secret (X-OP-Signature), checked in the Lambda.
        return resource.addMethod(route.method, integration, { authorizationType: apigw.AuthorizationType.NONE });
      case 'public':
        return resource.addMethod(route.method, integration, { authorizationType: apigw.AuthorizationType.NONE });
      case 'welcome-token':
        return resource.addMethod(route.method, integration, { authorizationType: apigw.AuthorizationType.NONE, requestParameters: pathParameters });
      case 'operator':
        return resource.addMethod(route.method, integration, {
          authorizationType: apigw.AuthorizationType.COGNITO,
          authorizer: shared.authorizer,
          authorizationScopes: scopesFor(route.auth.permission),
        });
    }
  }

  private suppressFindings(events: apigw.Method, health: apigw.Method): void {
    acknowledge(
      events,
      'AwsSolutions-APIG4',
      'The HR system cannot sign SigV4; the api Lambda rejects any /v1/events request without a valid HMAC signature of its body.',
    );
    acknowledge(
      events,
      'AwsSolutions-COG4',
      'A machine-to-machine webhook authenticated by an HMAC signature; there are no end users for a Cognito pool.',
    );
    acknowledge(health, 'AwsSolutions-APIG4', 'Health check for uptime probes; it returns no data and changes nothing.');
    acknowledge(health, 'AwsSolutions-COG4', 'Health check for uptime probes; it returns no data and changes nothing.');
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG3',
      'Every route is authenticated (HMAC, a Cognito token or a one-time welcome token) except a data-free health check, and the stage is throttled from stage config; a WAF web ACL would add cost without blocking anything auth does not.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-IAM4',
      'The account-level API Gateway logging role needs exactly the AWS-maintained AmazonAPIGatewayPushToCloudWatchLogs policy.',
      ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
    );
  }
}
