/**
 * Each function gets exactly what its code reads: the environment and the IAM actions derived from its bundle
 * (test/infra/function-reads.ts) against the synthesized templates of each stage, both ways. What the derivation
 * cannot tell apart (code a function bundles but never runs, variables only the local runtime sets, rights the
 * platform needs beside the code's calls) is listed here with its reason, and a listed exception that no longer
 * applies fails too.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ENV, type EnvName } from '../../lambdas/shared/env-names';
import { loadStageConfig } from '../../config/stages';
import { allStacks, buildStage, DEPLOYED_STAGES } from './build-stacks';
import { readsOfEntry } from './function-reads';
import { actionsOf, functionsByEntry, statementsOfRole } from './template-helpers';

/** Set by the local runtime to point a function at an emulator or hand it a secret's value; unset on AWS by design. */
const LOCAL_ONLY: ReadonlySet<string> = new Set<EnvName>([ENV.hmacSecret, ENV.notionToken, ENV.notionBaseUrl, ENV.googleRootUrl, ENV.connectEndpoint, ENV.dynamoEndpoint, ENV.zendeskToken, ENV.frontToken, ENV.nextcloudAppPassword, ENV.openprojectToken, ENV.openprojectWebhookSecret, ENV.jiraWebhookSecret, ENV.jiraApiToken, ENV.matrixAccessToken]);

/** Set on every function whether its code reads it or not, with why. */
const ON_EVERY_FUNCTION: ReadonlyMap<string, string> = new Map([
  [ENV.stage, 'names the stage on the function itself, for an operator in the console; the engine also reads it to load its stage config'],
]);

/** A downstream receiver, so that the forwarding action has a key to read (with none, it reads none). */
const RECEIVER = { name: 'crm', url: 'https://crm.example.com/lifecycle-events' };
/** A SCIM app, so that the SCIM actions have a token to read (with none, they read none). */
const SCIM_APPS = { wiki: { baseUrl: 'https://wiki.example.com/scim/v2' } };
/** A Jira intake with a write-back account, so that the API has the Jira secrets to read (with none, it reads none). */
const JIRA = { ...loadStageConfig('local').jira!, baseUrl: 'https://example.atlassian.net' };
/**
 * OpenProject with member tasks, so that the API and the reporters have the member task secrets to read (with none, they
 * read none), polled, so that the member task poll's function exists.
 */
const OPENPROJECT = { ...loadStageConfig('local').openproject!, baseUrl: 'https://openproject.example.org', memberTasks: { ...loadStageConfig('local').openproject!.memberTasks!, poll: { everyMinutes: 5 } } };
/** A Matrix bot, so that its sync function exists and the reporters are told to queue its replies (with none, neither). */
const MATRIX = { ...loadStageConfig('local').matrix!, homeserverUrl: 'https://matrix.example.org', userId: '@lifecycle:example.org', rooms: ['!ask:example.org'] };

/** Reads and calls a function's bundle holds but its code never makes, each with why. */
const NEVER_CALLED: readonly { readonly entries: RegExp; readonly reads: readonly string[]; readonly reason: string }[] = [
  {
    entries: /^lambdas\/handlers\/(api|sweep|matrix-sync|directory-read|member-task-poll)\.ts$/,
    reads: ['sqs:ChangeMessageVisibility'],
    reason: "a failed step's backoff (StepQueue.retryLater) is the dispatcher's alone; the queue adapter carries it to every function that enqueues",
  },
  {
    entries: /^lambdas\/handlers\/dead-letter\.ts$/,
    reads: [ENV.stepsQueueUrls, 'sqs:SendMessage'],
    reason: 'handing a step to an operator (markNeedsAttention) queues no step; updateRun enqueues only for a change that does',
  },
  {
    entries: /^lambdas\/handlers\/sweep\.ts$/,
    reads: [ENV.jiraSettings, ENV.jiraApiTokenArn, ENV.openprojectSettings, ENV.openprojectTokenSecretArn, 'secretsmanager:GetSecretValue', ENV.matrixReports],
    reason: 'the sweep only queues due steps: it ends no run and hands no step to an operator, so it has no Jira write-back nor member task nor Matrix thread to report through (engine-deps finds no setting)',
  },
  {
    entries: /^lambdas\/handlers\/directory-read\.ts$/,
    reads: [ENV.jiraSettings, ENV.jiraApiTokenArn, ENV.openprojectSettings, ENV.matrixReports],
    reason: 'the directory read function plans runs (an inactivity revoke) but ends none and hands no step to an operator, so it has no Jira ticket, member task or Matrix thread to report through (engine-deps finds no setting); its OpenProject token is the reader\'s',
  },
  {
    entries: /^lambdas\/handlers\/matrix-sync\.ts$/,
    reads: [ENV.jiraSettings, ENV.jiraApiTokenArn],
    reason: 'a proposal from Matrix is no Jira request: its run has no ticket to report on, so the sync function has no Jira write-back (engine-deps finds no setting)',
  },
  {
    entries: /^lambdas\/handlers\/member-task-poll\.ts$/,
    reads: [ENV.jiraSettings, ENV.jiraApiTokenArn],
    reason: 'a member task is no Jira request: the runs the poll approves have no ticket to report on, so the poll function has no Jira write-back (engine-deps finds no setting)',
  },
  {
    entries: /^lambdas\/handlers\/api\.ts$/,
    reads: ['kms:Encrypt'],
    reason: "the API opens sealed initial passwords; sealing them is google.createUser's (one sealer class does both)",
  },
  {
    entries: /google-(create-user|send-welcome-email)\.ts$/,
    reads: ['dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'],
    reason: 'the credential actions reach the store for their credential record only: get, put and update of that one item',
  },
  { entries: /google-create-user\.ts$/, reads: ['kms:Decrypt'], reason: "google.createUser seals the initial password; opening it is the API's" },
  {
    entries: /google-send-welcome-email\.ts$/,
    reads: [ENV.credentialKeyArn, 'kms:Encrypt', 'kms:Decrypt'],
    reason: 'the welcome email issues the one-time link to a sealed password; it never seals or opens one itself',
  },
];

/** Rights a function holds beside its code's calls, each with why. */
const PLATFORM_RIGHTS: readonly { readonly actions: RegExp; readonly when: (derived: ReadonlySet<string>, hasEventSource: boolean) => boolean; readonly reason: string }[] = [
  { actions: /^logs:(CreateLogStream|PutLogEvents)$/, when: () => true, reason: 'the Lambda runtime writes the function log to its own log group' },
  { actions: /^xray:(PutTraceSegments|PutTelemetryRecords)$/, when: () => true, reason: 'active tracing' },
  {
    actions: /^kms:(Decrypt|Encrypt|ReEncrypt\*|GenerateDataKey\*?|DescribeKey)$/,
    when: (derived) => [...derived].some((a) => /^(dynamodb|sqs|sns):/.test(a)),
    reason: 'the table, the queues and the topic are encrypted with a customer key: using them uses the key',
  },
  {
    actions: /^sqs:(ReceiveMessage|DeleteMessage|ChangeMessageVisibility|GetQueueAttributes|GetQueueUrl)$/,
    when: (_derived, hasEventSource) => hasEventSource,
    reason: 'Lambda polls the queue the function consumes on its behalf',
  },
  { actions: /^sqs:(GetQueueAttributes|GetQueueUrl)$/, when: (derived) => derived.has('sqs:SendMessage'), reason: "aws-cdk-lib's send grant adds the queue's own metadata reads" },
  { actions: /^secretsmanager:DescribeSecret$/, when: (derived) => derived.has('secretsmanager:GetSecretValue'), reason: "aws-cdk-lib's read grant adds the secret's own metadata read" },
];

const envNames: ReadonlySet<string> = new Set<string>(Object.values(ENV));

/** Calls on a resource the function is told of in its environment: a grant of one must name only resources so told. */
const ON_A_NAMED_RESOURCE = /^(sns:Publish|sqs:SendMessage|secretsmanager:GetSecretValue|dynamodb:(GetItem|PutItem|UpdateItem|DeleteItem|Query|BatchWriteItem|ConditionCheckItem))$/;

/**
 * The logical ids of the resources a template value refers to: Ref and Fn::GetAtt in its own stack, and the export of
 * another stack's Ref or GetAtt (CDK names it `ExportsOutputRef<id>` or `ExportsOutputFnGetAtt<id><attribute>`).
 */
function referencedIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string') ids.add(o.Ref);
    if (Array.isArray(o['Fn::GetAtt'])) ids.add(String(o['Fn::GetAtt'][0]));
    if (typeof o['Fn::ImportValue'] === 'string') {
      const m = /ExportsOutput(?:Ref|FnGetAtt)([A-Za-z0-9]*?[0-9A-F]{8})/.exec(o['Fn::ImportValue']);
      if (m) ids.add(m[1]);
    }
    Object.values(o).forEach(walk);
  };
  walk(value);
  return ids;
}

describe.each(DEPLOYED_STAGES)('each function gets exactly what its code reads (%s)', (stage) => {
  const built = buildStage(stage, { forwardTo: [RECEIVER], scimApps: SCIM_APPS, jira: JIRA, openproject: OPENPROJECT, matrix: MATRIX });
  const functions = allStacks(built).flatMap((stack) => {
    const template = Template.fromStack(stack);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((m) => JSON.stringify(m.Properties?.FunctionName));
    return [...functionsByEntry(template)].map(([entry, fn]) => {
      const roleId = (fn.properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const allowed = statementsOfRole(template, roleId).filter((s) => s.Effect === 'Allow');
      const granted = new Set(allowed.flatMap(actionsOf));
      const variables = (fn.properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const env = Object.keys(variables).filter((name) => envNames.has(name));
      // What each grant of a call on a named resource names, beside the resources the environment tells the code of.
      const namedGrants = allowed.flatMap((st) => actionsOf(st).filter((a) => ON_A_NAMED_RESOURCE.test(a)).map((action) => ({ action, resources: referencedIds(st.Resource) })));
      return { entry, granted, env: new Set(env), told: referencedIds(variables), namedGrants, hasEventSource: mappings.includes(JSON.stringify({ Ref: fn.logicalId })) };
    });
  });
  const cases = functions.map((f) => [f.entry, f] as const);
  const neverCalled = (entry: string): Set<string> => new Set(NEVER_CALLED.filter((n) => n.entries.test(entry)).flatMap((n) => n.reads));

  it('covers every function of the stage: the four engine functions, the Matrix sync function, the member task poll, the directory read function and each action', () => {
    expect(functions.length).toBe(7 + built.actions.reduce((n, s) => n + s.actions.size, 0));
  });

  it.each(cases)('%s is given every variable its code reads on AWS, and no other', (entry, fn) => {
    const reads = readsOfEntry(entry);
    const skipped = neverCalled(entry);
    const wanted = [...reads.env].filter((name) => !LOCAL_ONLY.has(name) && !skipped.has(name));
    expect({ missing: wanted.filter((name) => !fn.env.has(name)).map((name) => `${name} (read in ${reads.sources.get(name)})`) }).toEqual({ missing: [] });
    const neverRead = [...fn.env].filter((name) => (!reads.env.has(name as EnvName) || skipped.has(name)) && !ON_EVERY_FUNCTION.has(name));
    expect({ neverRead }).toEqual({ neverRead: [] });
  });

  it.each(cases)('%s may make every AWS call its code makes, and holds no other right', (entry, fn) => {
    const reads = readsOfEntry(entry);
    const skipped = neverCalled(entry);
    const calls = new Set([...reads.iam].filter((a) => !skipped.has(a)));
    expect({ notGranted: [...calls].filter((a) => !fn.granted.has(a)).map((a) => `${a} (${reads.sources.get(a)})`) }).toEqual({ notGranted: [] });
    const unexplained = [...fn.granted].filter((a) => !calls.has(a) && !PLATFORM_RIGHTS.some((r) => r.actions.test(a) && r.when(calls, fn.hasEventSource)));
    expect({ neverCalled: unexplained }).toEqual({ neverCalled: [] });
  });

  it.each(NEVER_CALLED.map((n) => [n.entries.source, n] as const))('the exception for %s is still needed: each read is in the bundle', (_source, n) => {
    const matching = functions.filter((f) => n.entries.test(f.entry));
    expect(matching.length).toBeGreaterThan(0);
    expect(n.reason.length).toBeGreaterThanOrEqual(40);
    for (const f of matching) {
      const reads = readsOfEntry(f.entry);
      for (const read of n.reads) {
        expect({ entry: f.entry, read, inBundle: reads.env.has(read as EnvName) || reads.iam.has(read) }).toEqual({ entry: f.entry, read, inBundle: true });
      }
    }
  });

  it.each(cases)('%s may publish, send, read secrets and use the table only on the resources its environment names', (_entry, fn) => {
    const elsewhere = fn.namedGrants.flatMap((g) => [...g.resources].filter((id) => !fn.told.has(id)).map((id) => `${g.action} on ${id}`));
    expect({ elsewhere }).toEqual({ elsewhere: [] });
    // A grant that names no resource of the stacks (a wildcard or a literal ARN) is not one the code was told of either.
    expect({ unnamed: fn.namedGrants.filter((g) => g.resources.size === 0).map((g) => g.action) }).toEqual({ unnamed: [] });
  });
});
