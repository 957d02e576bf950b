/**
 * The operator console on AWS: its built files in a private S3 bucket behind a CloudFront distribution (origin access
 * control), with the API behind the same distribution under /v1/* and /health, so the console calls its own origin
 * (no CORS). Every answer carries the console's security headers; any /console/... path without a file extension
 * answers index.html (deep links), done by a viewer-request function on the bucket's behaviour alone so the API's own
 * 403s and 404s reach the console as they are. The console signs people in with its own Cognito app client, whose
 * callback is this distribution; `config.json` beside the files tells the browser which.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { AssetHashType, CfnOutput, DockerImage, Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { consoleContentSecurityPolicy } from '../../console/security';
import { CONSOLE_PATH, consoleCognitoConfig, consoleCallbackUrl, consoleSignOutUrl, type ConsoleCognitoConfig } from '../../console/sign-in-config';
import { acknowledge, nagArnOf } from '../nag';
import { REPO_ROOT } from './lifecycle-function';
import type { OperatorSignIn } from './operator-sign-in';

export { CONSOLE_PATH, type ConsoleCognitoConfig };

/** Stack output names: `ConsoleUrl` is the address people open. */
export const CONSOLE_OUTPUTS = { url: 'ConsoleUrl', clientId: 'OperatorConsoleClientId' } as const;

/** The paths the distribution sends to the API stage; everything else is the console's bucket. */
export const API_PATH_PATTERNS = ['/v1/*', '/health'] as const;

/**
 * The viewer-request function of the bucket's behaviour (cloudfront-js-2.0): `/` and `/console` go to `/console/`;
 * every other /console/ path is a page of the console, answered by index.html, except a file of the build, which is
 * one name with an extension right under /console/ (app.js, app.css, config.json: console/build.ts writes no folders).
 * So a deep link whose last part holds a dot (an employee id `jane.doe`) still opens its page.
 */
export const DEEP_LINK_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${CONSOLE_PATH}') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${CONSOLE_PATH}/' }, 'cache-control': { value: 'no-cache' } } };
  }
  if (uri.indexOf('${CONSOLE_PATH}/') === 0) {
    var rest = uri.slice(${CONSOLE_PATH.length + 1});
    if (rest.indexOf('/') !== -1 || rest.indexOf('.') === -1) request.uri = '${CONSOLE_PATH}/index.html';
  }
  return request;
}
`;

/** The deployed files' Cache-Control: the names carry no hash, so browsers ask again each time (a 304 when unchanged). */
export const CONSOLE_CACHE_CONTROL = 'no-cache';

/**
 * Builds the console into `outputDir` with the project's own build (console/build.ts), in a child process because
 * the build is asynchronous and asset bundling is not. esbuild on this machine, never Docker.
 */
export function buildConsoleInto(outputDir: string): void {
  const script = [
    "const { mkdirSync, writeFileSync } = require('node:fs');",
    "const { join } = require('node:path');",
    "require('./console/build').buildConsole().then((files) => {",
    '  const out = process.env.CONSOLE_OUT_DIR;',
    '  mkdirSync(out, { recursive: true });',
    '  for (const f of files) writeFileSync(join(out, f.name), f.body);',
    '}).catch((err) => { console.error(err); process.exit(1); });',
  ].join('\n');
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, CONSOLE_OUT_DIR: outputDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** The built console as a deployment source: built at synth, its asset hashed by what was built. */
export function builtConsoleSource(): s3deploy.ISource {
  return s3deploy.Source.asset(path.join(REPO_ROOT, 'console'), {
    // Hashed by what the build wrote: the console also bundles code from outside console/.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; local bundling always succeeds or fails the synth, so no container ever starts.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildConsoleInto(outputDir);
          return true;
        },
      },
    },
  });
}

export interface ConsoleHostingProps {
  readonly stage: string;
  /** The API whose deployed stage serves /v1/* and /health. */
  readonly api: apigw.RestApi;
  /** The operators' sign-in: the console gets its own app client on its pool. */
  readonly signIn: OperatorSignIn;
  /** The console's built files; default: built now by console/build.ts. Infra tests pass a stand-in. */
  readonly assets?: s3deploy.ISource;
}

export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  readonly deepLinks: cloudfront.Function;
  readonly client: cognito.UserPoolClient;
  readonly deployment: s3deploy.BucketDeployment;
  /** `https://<distribution>/console/`: what people open. */
  readonly url: string;
  readonly config: ConsoleCognitoConfig;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
    });

    const signInOrigin = props.signIn.domain.baseUrl();
    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `account-lifecycle ${props.stage}: the operator console's security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(signInOrigin), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.deepLinks = new cloudfront.Function(this, 'DeepLinks', {
      comment: 'Console pages answer index.html; / goes to the console',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(DEEP_LINK_FUNCTION_CODE),
    });

    // The API: never cached, every method, the Authorization header and query strings passed on. With caching
    // disabled, AllViewerExceptHostHeader forwards Authorization; the Host header stays the API's own, which API
    // Gateway needs to find the API (CloudFront developer guide, "Use managed origin request policies").
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: new origins.RestApiOrigin(props.api),
      // A bearer token is never accepted over plain HTTP, not even to be redirected.
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers,
      compress: true,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `account-lifecycle ${props.stage}: the operator console and its API`,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: this.deepLinks, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((p) => [p, apiBehavior])),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    });

    const origin = `https://${this.distribution.distributionDomainName}`;
    this.url = consoleSignOutUrl(origin);
    this.client = props.signIn.addConsoleClient({ callbackUrl: consoleCallbackUrl(origin), signOutUrl: this.url });
    this.config = consoleCognitoConfig({ region: stack.region, domain: signInOrigin, clientId: this.client.userPoolClientId, consoleOrigin: origin });
    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [props.assets ?? builtConsoleSource(), s3deploy.Source.jsonData('config.json', this.config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${CONSOLE_PATH.slice(1)}/`,
      cacheControl: [s3deploy.CacheControl.fromString(CONSOLE_CACHE_CONTROL)],
      distribution: this.distribution,
      distributionPaths: [`${CONSOLE_PATH}/*`],
      memoryLimit: 256,
    });

    new CfnOutput(stack, CONSOLE_OUTPUTS.url, { value: this.url, description: 'The operator console: people sign in with their operator account' });
    new CfnOutput(stack, CONSOLE_OUTPUTS.clientId, { value: this.client.userPoolClientId, description: 'App client the console signs people in with (PKCE, no secret)' });
    this.suppressFindings();
  }

  private suppressFindings(): void {
    // The deployment's handler is aws-cdk-lib's own (a singleton function at the stack's root): its code and policy
    // are not ours to write; what it may touch is the asset bucket, this bucket and this distribution's invalidations.
    const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const deployer = [this.deployment.handlerRole, ...(handler ? [handler] : [])];
    acknowledge(
      deployer,
      'AwsSolutions-IAM4',
      "aws-cdk-lib's bucket deployment function writes its logs with the AWS-maintained basic execution policy.",
      ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    );
    acknowledge(
      deployer,
      'AwsSolutions-IAM5',
      "aws-cdk-lib's bucket deployment copies the console's files from the CDK asset bucket into this bucket (object wildcards on those two buckets only) and invalidates the distribution's cache, which CloudFront grants on no narrower resource.",
      [
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        `Resource::${nagArnOf(this.bucket)}/*`,
        'Resource::*',
      ],
    );
    acknowledge(
      deployer,
      'AwsSolutions-L1',
      "aws-cdk-lib's bucket deployment function runs on the Python runtime aws-cdk-lib ships it with; it runs only while a deploy copies files.",
    );
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'The bucket holds only the built console (public code, no data) and is read only by CloudFront through origin access control; the API calls through the distribution are logged by the API Gateway access log.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Operators work from wherever the company works; who may use the console is decided by Cognito sign-in, not by country.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Every API route behind the distribution is authenticated and the API stage is throttled; the console files are public code. A WAF web ACL would add cost without blocking anything sign-in does not.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      'The console files hold no data; every API call through the distribution is logged by the API Gateway access log, with the caller.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The distribution uses the default *.cloudfront.net certificate, whose viewer TLS policy CloudFront sets and cannot be raised without a custom domain and certificate.',
    );
  }
}
