/**
 * The REST API: HMAC-checked HR intake, an open health check, IAM-signed operator routes, and the welcome email's
 * one-time password link (its token is the credential), all on one Lambda.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

type HttpMethod = 'GET' | 'POST';

/** Routes for operators; each needs a SigV4-signed request from a principal allowed execute-api:Invoke. */
export const OPERATOR_ROUTES: ReadonlyArray<readonly [HttpMethod, string]> = [
  ['GET', '/v1/employees/{id}'],
  ['GET', '/v1/runs'],
  ['GET', '/v1/alerts'],
  ['POST', '/v1/runs/{runId}/cancel'],
  ['POST', '/v1/runs/{runId}/steps/{stepId}/retry'],
  ['POST', '/v1/runs/{runId}/steps/{stepId}/skip'],
  ['POST', '/v1/runs/{runId}/confirm-account'],
  ['POST', '/v1/sweep'],
  ['GET', '/v1/quarantine'],
  ['POST', '/v1/quarantine/release'],
  ['POST', '/v1/quarantine/reject'],
];

export const EVENTS_PATH = '/v1/events';
export const HEALTH_PATH = '/health';
/** GET shows a button, POST reveals the initial password once; see lambdas/credentials/reveal.ts. */
export const WELCOME_ROUTE = '/v1/welcome/{token}';

export interface LifecycleApiProps {
  readonly handler: lambda.IFunction;
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

    // No IAM auth: the HR system cannot sign SigV4, so the Lambda verifies the HMAC signature of the raw body.
    const events = this.api.root.resourceForPath(EVENTS_PATH).addMethod('POST', integration, {
      authorizationType: apigw.AuthorizationType.NONE,
      requestValidator: validator,
      requestModels: { 'application/json': eventModel },
    });
    const health = this.api.root.resourceForPath(HEALTH_PATH).addMethod('GET', integration, {
      authorizationType: apigw.AuthorizationType.NONE,
    });
    const welcomeLink = this.api.root.resourceForPath(WELCOME_ROUTE);
    const welcome = (['GET', 'POST'] as const).map((method) =>
      welcomeLink.addMethod(method, integration, {
        authorizationType: apigw.AuthorizationType.NONE,
        requestParameters: { 'method.request.path.token': true },
      }),
    );
    const operatorMethods = OPERATOR_ROUTES.map(([method, path]) =>
      this.api.root.resourceForPath(path).addMethod(method, integration, {
        authorizationType: apigw.AuthorizationType.IAM,
      }),
    );

    this.suppressFindings(events, health, operatorMethods);
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

  private suppressFindings(events: apigw.Method, health: apigw.Method, operatorMethods: apigw.Method[]): void {
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
      operatorMethods,
      'AwsSolutions-COG4',
      'Operator routes use AWS_IAM authorization: operators sign with their SSO role credentials; there is no Cognito pool by design.',
    );
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG3',
      'Every route is authenticated (HMAC, SigV4 or a one-time welcome token) except a data-free health check, and the stage is throttled from stage config; a WAF web ACL would add cost without blocking anything auth does not.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-IAM4',
      'The account-level API Gateway logging role needs exactly the AWS-maintained AmazonAPIGatewayPushToCloudWatchLogs policy.',
      ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
    );
  }
}
