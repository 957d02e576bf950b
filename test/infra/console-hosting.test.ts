/** The operator console on AWS: a private bucket behind CloudFront, the API behind the same distribution, its own sign-in client. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  API_PATH_PATTERNS,
  buildConsoleInto,
  CONSOLE_CACHE_CONTROL,
  CONSOLE_OUTPUTS,
  DEEP_LINK_FUNCTION_CODE,
} from '../../lib/constructs/console-hosting';
import { consoleContentSecurityPolicy, CONSOLE_SECURITY_HEADERS } from '../../console/security';
import { buildStage, DEPLOYED_STAGES, type BuiltStage } from './build-stacks';
import { actionsOf, isCdkBucketDeploymentFunction, logicalId, resourceOf, type Statement } from './template-helpers';

/** CloudFront's managed policies, by the ids the CloudFront developer guide lists. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const ALL_VIEWER = '216adef6-5c7f-47e4-b989-5492eafa07d3';

interface ViewerRequest {
  request: { uri: string; method: string; querystring: Record<string, unknown>; headers: Record<string, unknown> };
}
type Answer = { uri?: string; statusCode?: number; headers?: Record<string, { value: string }> };

/** The deep-link function's own code, run as CloudFront would run it on a viewer request. */
function runDeepLinks(uri: string): Answer {
  const handler = new Function(`${DEEP_LINK_FUNCTION_CODE}\nreturn handler;`)() as (event: ViewerRequest) => Answer;
  return handler({ request: { uri, method: 'GET', querystring: {}, headers: {} } });
}

/** CSP directives as a map, so two policies compare by meaning rather than by spelling. */
const directives = (csp: string): Record<string, string[]> =>
  Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );

describe('the deep-link function (its code, evaluated)', () => {
  it.each(['/console/', '/console/runs', '/console/runs/e-1/r-1', '/console/employees/jane.doe', '/console/upcoming', '/console/callback'])(
    'answers the console page %s with index.html',
    (uri) => {
      expect(runDeepLinks(uri).uri).toBe('/console/index.html');
    },
  );

  it.each(['/console/app.js', '/console/app.css', '/console/config.json', '/console/index.html'])('leaves the file %s as it is', (uri) => {
    expect(runDeepLinks(uri).uri).toBe(uri);
  });

  it('sends / and /console to /console/', () => {
    for (const uri of ['/', '/console']) {
      expect(runDeepLinks(uri)).toMatchObject({ statusCode: 302, headers: { location: { value: '/console/' } } });
    }
  });

  it('leaves paths outside the console alone', () => {
    expect(runDeepLinks('/consoles/x').uri).toBe('/consoles/x');
    expect(runDeepLinks('/v1/me').uri).toBe('/v1/me');
  });
});

describe('the console content security policy', () => {
  it("is the local server's, with the sign-in domain added for the token exchange and its forms only", () => {
    const local = directives(CONSOLE_SECURITY_HEADERS['Content-Security-Policy']);
    const aws = directives(consoleContentSecurityPolicy('https://signin.example'));
    expect(aws).toEqual({ ...local, 'connect-src': [...local['connect-src'], 'https://signin.example'], 'form-action': [...local['form-action'], 'https://signin.example'] });
    expect(aws['default-src']).toEqual(["'self'"]);
    expect(aws['frame-ancestors']).toEqual(["'none'"]);
  });
});

describe('the built console as deployed', () => {
  const out = mkdtempSync(join(tmpdir(), 'lifecycle-console-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("is built by the project's own console/build.ts, every asset in the bundle", () => {
    buildConsoleInto(out);
    expect(readdirSync(out).sort()).toEqual(['app.css', 'app.js', 'index.html']);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('/console/app.js');
    expect(html).not.toMatch(/https?:\/\//);
  }, 120_000);
});

describe.each(DEPLOYED_STAGES)('console hosting (%s)', (stage) => {
  let built: BuiltStage;
  let template: Template;
  let ids: { bucket: string; distribution: string; headers: string; fn: string; client: string; domain: string; pool: string };

  beforeAll(() => {
    built = buildStage(stage);
    template = Template.fromStack(built.core);
    const hosting = built.core.console;
    ids = {
      bucket: logicalId(hosting.bucket),
      distribution: logicalId(hosting.distribution),
      headers: logicalId(hosting.headers),
      fn: logicalId(hosting.deepLinks),
      client: logicalId(hosting.client),
      domain: logicalId(built.core.signIn.domain),
      pool: logicalId(built.core.signIn.userPool),
    };
  });

  const distribution = () => resourceOf(template, 'AWS::CloudFront::Distribution', ids.distribution).Properties.DistributionConfig as Record<string, unknown>;
  const behavior = (pattern: string): Record<string, unknown> => {
    const found = (distribution().CacheBehaviors as Record<string, unknown>[]).find((b) => b.PathPattern === pattern);
    if (!found) throw new Error(`no behaviour for ${pattern}`);
    return found;
  };

  describe('bucket', () => {
    it('is private, encrypted, TLS only and no website', () => {
      const bucket = resourceOf(template, 'AWS::S3::Bucket', ids.bucket).Properties;
      expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
      expect(bucket.WebsiteConfiguration).toBeUndefined();
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: ids.bucket },
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        }),
      });
    });

    it('is read by this distribution alone, through CloudFront, and by nobody else', () => {
      const policies = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: ids.bucket } } }));
      expect(policies).toHaveLength(1);
      const allows = (policies[0].Properties.PolicyDocument.Statement as Record<string, unknown>[]).filter((s) => s.Effect === 'Allow');
      expect(allows).toHaveLength(1);
      expect(allows[0]).toMatchObject({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/*']] },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      });
      expect(JSON.stringify(allows[0].Condition)).toContain(ids.distribution);
    });
  });

  describe('distribution', () => {
    it('reads the bucket with origin access control, never an origin access identity', () => {
      template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
      });
      const s3Origins = (distribution().Origins as Record<string, unknown>[]).filter((o) => o.S3OriginConfig);
      expect(s3Origins).toHaveLength(1);
      expect(s3Origins[0]).toMatchObject({
        DomainName: { 'Fn::GetAtt': [ids.bucket, 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      });
    });

    it('serves the console over HTTPS, with the deep-link function on viewer requests, and no custom error pages', () => {
      const config = distribution();
      expect(config.DefaultCacheBehavior).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        ResponseHeadersPolicyId: { Ref: ids.headers },
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [ids.fn, 'FunctionARN'] } }],
      });
      // An error page would turn the API's 403 and 404 into index.html.
      expect(config.CustomErrorResponses).toBeUndefined();
      expect(resourceOf(template, 'AWS::CloudFront::Function', ids.fn).Properties).toMatchObject({
        FunctionCode: DEEP_LINK_FUNCTION_CODE,
        FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
      });
    });

    it.each(API_PATH_PATTERNS)('sends %s to the API stage: HTTPS only, never cached, every method, Authorization and query passed, Host not', (pattern) => {
      const b = behavior(pattern);
      expect(b).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ResponseHeadersPolicyId: { Ref: ids.headers },
      });
      expect(b.OriginRequestPolicyId).not.toBe(ALL_VIEWER);
      expect(b.FunctionAssociations).toBeUndefined();
      const origin = (distribution().Origins as Record<string, unknown>[]).find((o) => o.Id === b.TargetOriginId);
      expect(origin).toMatchObject({ CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] } });
      const apiId = logicalId(built.core.api.api);
      expect(JSON.stringify(origin?.DomainName)).toContain(`"Ref":"${apiId}"`);
      // The stage is the origin path: /v1/me reaches /<stage>/v1/me.
      expect(JSON.stringify(origin?.OriginPath)).toContain(logicalId(built.core.api.api.deploymentStage));
    });
  });

  describe('security headers', () => {
    it('sends the CSP with the sign-in domain, HSTS, nosniff, DENY framing and no referrer, overriding any origin', () => {
      const config = resourceOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', ids.headers).Properties.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      };
      const headers = config.SecurityHeadersConfig;
      const stack = Stack.of(built.core);
      expect(headers.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy: stack.resolve(consoleContentSecurityPolicy(built.core.signIn.domain.baseUrl())),
        Override: true,
      });
      const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
      expect(csp).toContain(`connect-src 'self' https://",{"Ref":"${ids.domain}"}`);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(headers.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true });
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    });
  });

  describe('files and config.json', () => {
    it('deploys the built files and config.json under console/, revalidated on every load, and invalidates the console paths', () => {
      template.hasResourceProperties('Custom::CDKBucketDeployment', {
        DestinationBucketName: { Ref: ids.bucket },
        DestinationBucketKeyPrefix: 'console/',
        SystemMetadata: { 'cache-control': CONSOLE_CACHE_CONTROL },
        DistributionId: { Ref: ids.distribution },
        DistributionPaths: ['/console/*'],
        Prune: true,
      });
    });

    it('copies with a role that writes only this bucket and reads only the CDK asset bucket, and may invalidate the cache', () => {
      const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => isCdkBucketDeploymentFunction(id));
      expect(policies).toHaveLength(1);
      const statements = (policies[0][1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      const writes = statements.filter((s) => actionsOf(s).some((a) => /^s3:(Put|Delete|Abort)/.test(a)));
      expect(writes.map((s) => s.Resource)).toEqual([[{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/*']] }]]);
      const starred = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
      expect(starred.flatMap(actionsOf).sort()).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
      const reads = statements.filter((s) => !writes.includes(s) && !starred.includes(s));
      expect(JSON.stringify(reads.map((s) => s.Resource))).toMatch(/cdk-hnb659fds-assets-/);
    });

    it('tells the browser to sign in with Cognito: region, hosted domain, the console client, its callback and sign-out', () => {
      const stack = Stack.of(built.core);
      const origin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ids.distribution, 'DomainName'] }]] };
      expect(stack.resolve(built.core.console.config)).toEqual({
        auth: 'cognito',
        region: { Ref: 'AWS::Region' },
        domain: stack.resolve(built.core.signIn.domain.baseUrl()),
        clientId: { Ref: ids.client },
        redirectUri: { 'Fn::Join': ['', [...origin['Fn::Join'][1], '/console/callback']] },
        signOutUri: { 'Fn::Join': ['', [...origin['Fn::Join'][1], '/console/']] },
      });
      // The deployment fills those values in at deploy time (config.json's markers).
      const deployment = Object.values(template.findResources('Custom::CDKBucketDeployment'))[0].Properties as { SourceMarkers: Record<string, unknown>[] };
      const markers = JSON.stringify(deployment.SourceMarkers);
      for (const ref of [`{"Ref":"${ids.client}"}`, `{"Ref":"${ids.domain}"}`, `{"Fn::GetAtt":["${ids.distribution}","DomainName"]}`]) expect(markers).toContain(ref);
    });
  });

  describe('sign-in client', () => {
    it('is public and signs people in by authorization code only (PKCE), with openid, email and profile', () => {
      expect(resourceOf(template, 'AWS::Cognito::UserPoolClient', ids.client).Properties).toMatchObject({
        UserPoolId: { Ref: ids.pool },
        ClientName: 'lifecycle-console',
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        EnableTokenRevocation: true,
        AccessTokenValidity: 60,
        TokenValidityUnits: { AccessToken: 'minutes' },
        SupportedIdentityProviders: ['COGNITO'],
      });
    });

    it('comes back to /console/callback and signs out to /console/ on this distribution', () => {
      const props = resourceOf(template, 'AWS::Cognito::UserPoolClient', ids.client).Properties;
      const host = { 'Fn::GetAtt': [ids.distribution, 'DomainName'] };
      expect(props.CallbackURLs).toEqual([{ 'Fn::Join': ['', ['https://', host, '/console/callback']] }]);
      expect(props.LogoutURLs).toEqual([{ 'Fn::Join': ['', ['https://', host, '/console/']] }]);
    });

    it('has a managed login style, so the hosted pages show for it', () => {
      template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { ClientId: { Ref: ids.client }, UseCognitoProvidedValues: true });
    });

    it("lets the API's operator routes take its tokens: the authorizer trusts the whole pool and asks for openid", () => {
      template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS', ProviderARNs: [{ 'Fn::GetAtt': [ids.pool, 'Arn'] }] });
      const methods = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { AuthorizationType: 'COGNITO_USER_POOLS' } }));
      expect(methods.length).toBeGreaterThan(0);
      for (const m of methods) expect(m.Properties.AuthorizationScopes).toContain('openid');
    });
  });

  it('names the console URL and its client in the stack outputs', () => {
    template.hasOutput(CONSOLE_OUTPUTS.url, { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ids.distribution, 'DomainName'] }, '/console/']] } });
    template.hasOutput(CONSOLE_OUTPUTS.clientId, { Value: { Ref: ids.client } });
  });
});
