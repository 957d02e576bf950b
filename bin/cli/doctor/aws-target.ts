/**
 * The doctor's target on AWS: the stage's resources named by its stacks' outputs (CloudFormation DescribeStacks) or by
 * `--output Key=Value`, read with the real SDK clients: Secrets Manager, SNS, SQS, Amazon Connect, Google's token
 * endpoint and Notion.
 */
import { CloudFormationClient, paginateDescribeStacks } from '@aws-sdk/client-cloudformation';
import type { ConnectClient } from '@aws-sdk/client-connect';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { paginateListSubscriptionsByTopic, type SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StageConfig } from '../../../config/schema';
import { mintAccessToken } from '../../../lambdas/providers/google/service-account-token';
import { createNotionClient } from '../../../lambdas/providers/notion/notion-client';
import type { AlertSubscription, DoctorTarget, SecretKind, SecretRef } from './checks';

/** The stack outputs the doctor reads (lib/core-stack.ts, lib/actions-stack.ts, lib/constructs/receiver-keys.ts). */
export const STACK_OUTPUT = {
  hrKey: 'HrKeyArn',
  notionToken: 'NotionTokenSecretArn',
  googleKey: 'GoogleServiceAccountSecretArn',
  /** Followed by the receiver's name in PascalCase, one per downstream receiver. */
  receiverKeyPrefix: 'ReceiverKeyArn',
  alertTopic: 'AlertTopicArn',
  deadLetterQueue: 'DeadLetterQueueUrl',
} as const;

/** The stage's stacks, as lib/lifecycle-stacks.ts names them: `AccountLifecycle-<stage>-<part>`. */
export const stackPrefix = (stage: string) => `AccountLifecycle-${stage}-`;

/** Every output of the stage's stacks, by key; an output two stacks share keeps the first stack's (in name order). */
export async function stageOutputs(cloudFormation: CloudFormationClient, stage: string): Promise<Record<string, string>> {
  const prefix = stackPrefix(stage);
  const stacks: { name: string; outputs: Record<string, string> }[] = [];
  for await (const page of paginateDescribeStacks({ client: cloudFormation }, {})) {
    for (const stack of page.Stacks ?? []) {
      if (!stack.StackName?.startsWith(prefix) || stack.StackStatus === 'DELETE_COMPLETE') continue;
      const outputs: Record<string, string> = {};
      for (const o of stack.Outputs ?? []) if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
      stacks.push({ name: stack.StackName, outputs });
    }
  }
  if (stacks.length === 0) throw new Error(`no stack named ${prefix}* in this account and region: deploy the stage first, or give --region`);
  stacks.sort((a, b) => a.name.localeCompare(b.name));
  return Object.assign({}, ...stacks.map((s) => s.outputs).reverse()) as Record<string, string>;
}

/** `--output Key=Value` flags as a record; refuses one without `=`, naming it. */
export function parseOutputFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at < 1 || at === flag.length - 1) throw new Error(`--output must be Key=Value (a stack output's key and its value), got "${flag}"`);
    out[flag.slice(0, at)] = flag.slice(at + 1);
  }
  return out;
}

export interface AwsClients {
  secretsManager: SecretsManagerClient;
  sns: SNSClient;
  sqs: SQSClient;
  connect: ConnectClient;
}

const missing = (key: string) => new Error(`stack output ${key} not found: deploy the stage, or give --output ${key}=<value>`);

/** The secrets the stage's functions read, each named by its stack output. */
export function stageSecrets(outputs: Readonly<Record<string, string>>, secretsManager: SecretsManagerClient): SecretRef[] {
  const secret = (key: string, kind: SecretKind): SecretRef => ({
    label: key,
    kind,
    read: async () => {
      const arn = outputs[key];
      if (!arn) throw missing(key);
      const out = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
      return out.SecretString;
    },
  });
  const receivers = Object.keys(outputs)
    .filter((k) => k.startsWith(STACK_OUTPUT.receiverKeyPrefix))
    .sort();
  return [
    secret(STACK_OUTPUT.hrKey, 'signing-key'),
    secret(STACK_OUTPUT.googleKey, 'google-key'),
    secret(STACK_OUTPUT.notionToken, 'notion-token'),
    ...receivers.map((k) => secret(k, 'signing-key')),
  ];
}

/** The topic's subscriptions; SNS names a subscription not yet confirmed `PendingConfirmation` instead of an ARN. */
export async function topicSubscriptions(sns: SNSClient, topicArn: string): Promise<AlertSubscription[]> {
  const subs: AlertSubscription[] = [];
  for await (const page of paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: topicArn })) {
    for (const s of page.Subscriptions ?? []) {
      subs.push({ protocol: s.Protocol ?? 'unknown', endpoint: s.Endpoint ?? '', confirmed: (s.SubscriptionArn ?? '').startsWith('arn:') });
    }
  }
  return subs;
}

/** Messages in the queue: waiting, being received and delayed. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
  return names.reduce((sum, n) => sum + Number(out.Attributes?.[n] ?? 0), 0);
}

export function awsTarget(config: StageConfig, outputs: Readonly<Record<string, string>>, clients: AwsClients, region: string): DoctorTarget {
  const need = (key: string) => {
    const value = outputs[key];
    if (!value) throw missing(key);
    return value;
  };
  return {
    name: `stage ${config.stage} (${region})`,
    secrets: stageSecrets(outputs, clients.secretsManager),
    google: {
      adminSubject: config.google.adminSubject,
      sender: config.welcomeEmail.sender,
      customerId: config.google.customerId,
      mint: (key, subject, scopes) => mintAccessToken(key, subject, scopes),
    },
    connect: { client: clients.connect, instanceId: config.connect.instanceId },
    notion: { client: (token) => createNotionClient({ auth: token }), dataSourceId: config.notion.rolesDataSourceId },
    alerts: {
      describe: `topic ${outputs[STACK_OUTPUT.alertTopic] ?? `(output ${STACK_OUTPUT.alertTopic})`}`,
      subscriptions: () => topicSubscriptions(clients.sns, need(STACK_OUTPUT.alertTopic)),
    },
    deadLetters: {
      describe: `queue ${outputs[STACK_OUTPUT.deadLetterQueue] ?? `(output ${STACK_OUTPUT.deadLetterQueue})`}`,
      depth: () => queueDepth(clients.sqs, need(STACK_OUTPUT.deadLetterQueue)),
    },
  };
}
