/** Engine dependencies on AWS, built once per container from the function's environment. */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { playbooksForSet } from '../../../config/playbooks';
import type { ActionInvoker, AlertPublisher, PlatformDeps, StepQueue } from '../../engine/ports';
import { systemClock } from '../../engine/ports';
import { ENV, requireEnv } from '../../shared/env-names';
import { engineMetrics } from '../../shared/metrics';
import { engineLog } from '../../shared/observability';
import { engineSettingsFromEnv, stageFromEnv } from '../../shared/settings';
import { createDocumentClient, DynamoStore } from '../../store/dynamo-store';
import { LambdaActionInvoker } from './lambda-action-invoker';
import { SnsAlertPublisher } from './sns-alert-publisher';
import { parseStepQueueUrls, SqsStepQueue } from './sqs-step-queue';

/** A port this function was not given: using it is a wiring bug, reported with its name. */
const missing = <T extends object>(what: string): T =>
  new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`this function has no ${what}: its environment does not name one`)),
  });

let deps: PlatformDeps | undefined;

export function awsEngineDeps(): PlatformDeps {
  if (deps) return deps;
  const queueUrls = process.env[ENV.stepsQueueUrls];
  const topicArn = process.env[ENV.alertTopicArn];
  const registryPath = process.env[ENV.actionRegistryPath];
  deps = {
    store: new DynamoStore(createDocumentClient(), requireEnv(ENV.tableName)),
    queue: queueUrls ? new SqsStepQueue(new SQSClient({}), parseStepQueueUrls(queueUrls)) : missing<StepQueue>('steps queue'),
    alerts: topicArn ? new SnsAlertPublisher(new SNSClient({}), topicArn) : missing<AlertPublisher>('alert topic'),
    invoker: registryPath ? new LambdaActionInvoker(new LambdaClient({}), new SSMClient({}), registryPath) : missing<ActionInvoker>('action registry'),
    clock: systemClock,
    settings: engineSettingsFromEnv(),
    playbooks: playbooksForSet(stageFromEnv().playbookSet),
    log: engineLog,
    metrics: engineMetrics,
  };
  return deps;
}
