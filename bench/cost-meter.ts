/**
 * Counts what the local runtime would have asked of AWS, at its seams: each Lambda handler invocation and its
 * duration, each action invocation, the store's DynamoDB requests with the request units they consume (table and
 * indexes, from the item before and after each write), the steps queue's SQS requests, alerts and wakes. Every
 * count is attributed to the function that made it, as on AWS. No production code path changes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ActionRequest, EngineDeps } from '../lambdas/engine/ports';
import { GLOBAL_INDEXES, TABLE } from '../lambdas/store/table-schema';
import { LOCAL_AWS } from '../local/embedded-store';
import type { LambdaHandler, RuntimeInstrument } from '../local/instrument';
import { writeCost, type ItemImage } from './cost-model';

/** What the meter calls a function: its Lambda's name (`api`, `dispatcher`, `sweep`, `dead-letter`, `action google.createUser`). */
export const actionFunction = (action: string) => `action ${action}`;
/** DynamoDB requests made outside any handler: none should be, or the count misses who pays for them. */
export const UNATTRIBUTED = 'unattributed';

export interface Invocation {
  fn: string;
  ms: number;
  /** SQS handlers: the batch size and how many records it handed back as failed. */
  records?: number;
  failed?: number;
  /** A sweep invoked by a Scheduler wake rather than by the periodic rule. */
  wake?: boolean;
}

export interface ActionCall {
  action: string;
  runId: string;
  stepId: string;
  ms: number;
}

export interface DynamoUsage {
  requests: Record<string, number>;
  readUnits: number;
  tableWriteUnits: number;
  indexWriteUnits: number;
  /** Table and index write units by operation (a run item's PutItem, the audit trail's BatchWriteItem). */
  writeUnitsByOp: Record<string, number>;
}

/** Everything counted since the last reset. */
export interface Measure {
  invocations: Invocation[];
  actions: ActionCall[];
  dynamo: Map<string, DynamoUsage>;
  /** SQS requests by function and operation (the event source's receives and deletes under the handler they fed). */
  sqs: Map<string, Record<string, number>>;
  snsPublishes: number;
  schedulesCreated: number;
  schedulesDeleted: number;
}

const emptyMeasure = (): Measure => ({ invocations: [], actions: [], dynamo: new Map(), sqs: new Map(), snsPublishes: 0, schedulesCreated: 0, schedulesDeleted: 0 });

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const INDEXES = GLOBAL_INDEXES;

type Key = Record<string, unknown>;

/** The table keys a write touches, from its document-client input. */
function keysOfWrite(op: string, input: Record<string, unknown>): Key[] {
  const pick = (item: Key) => ({ [TABLE.partitionKey]: item[TABLE.partitionKey], [TABLE.sortKey]: item[TABLE.sortKey] });
  if (op === 'PutItem') return [pick(input.Item as Key)];
  if (op === 'BatchWriteItem') {
    const requests = Object.values(input.RequestItems as Record<string, { PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }[]>).flat();
    return requests.map((r) => pick(r.PutRequest?.Item ?? r.DeleteRequest!.Key));
  }
  return [pick(input.Key as Key)];
}

const isConditionFailure = (err: unknown) => (err as { name?: string })?.name === 'ConditionalCheckFailedException';

export class CostMeter {
  private readonly current = new AsyncLocalStorage<string>();
  private measure = emptyMeasure();
  private active = 0;
  private images?: { client: DynamoDBClient; table: string };

  /** The seam the runtime is started with. */
  instrument(): RuntimeInstrument {
    return {
      handler: <E, R>(fn: string, handler: LambdaHandler<E, R>) => this.wrapHandler(fn, handler),
      documentClient: (doc) => this.attachStore(doc),
    };
  }

  /** Where the meter reads items before and after a write (its own client: those reads are not counted). */
  readImagesFrom(endpoint: string, table: string): void {
    this.images = { client: new DynamoDBClient({ ...LOCAL_AWS, endpoint }), table };
  }

  /** Wraps the engine's queue, invoker, alerts and wakes in place: the handlers read them from this object. */
  wrapEngine(engine: EngineDeps): void {
    const { queue, invoker, alerts, wakes } = engine;
    engine.queue = {
      send: async (messages, delaySeconds) => {
        // SqsStepQueue sends SendMessageBatch of at most 10.
        this.countSqs('SendMessageBatch', Math.ceil(messages.length / 10));
        return queue.send(messages, delaySeconds);
      },
      retryLater: async (receiptHandle, delaySeconds, from) => {
        this.countSqs('ChangeMessageVisibility', 1);
        return queue.retryLater(receiptHandle, delaySeconds, from);
      },
    };
    engine.invoker = {
      // The dispatcher invokes the action's function and waits for it: its own duration includes this one.
      invoke: async (request: ActionRequest) => {
        const started = performance.now();
        try {
          return await this.current.run(actionFunction(request.action), () => invoker.invoke(request));
        } finally {
          this.measure.actions.push({ action: request.action, runId: request.runId, stepId: request.stepId, ms: performance.now() - started });
        }
      },
    };
    engine.alerts = {
      publish: async (alert) => {
        this.measure.snsPublishes += 1;
        return alerts.publish(alert);
      },
    };
    if (wakes) {
      engine.wakes = {
        schedule: async (wake) => {
          const answer = await wakes.schedule(wake);
          if (answer === 'scheduled') this.measure.schedulesCreated += 1;
          return answer;
        },
        cancel: async (name) => {
          this.measure.schedulesDeleted += 1;
          return wakes.cancel(name);
        },
      };
    }
  }

  /** Handlers running now. */
  busy(): boolean {
    return this.active > 0;
  }

  /** What was counted since the last call, and a fresh count from here. */
  take(): Measure {
    const out = this.measure;
    this.measure = emptyMeasure();
    return out;
  }

  private fn(): string {
    return this.current.getStore() ?? UNATTRIBUTED;
  }

  private countSqs(operation: string, n: number, fn = this.fn()): void {
    if (n === 0) return;
    const ops = this.measure.sqs.get(fn) ?? {};
    ops[operation] = (ops[operation] ?? 0) + n;
    this.measure.sqs.set(fn, ops);
  }

  private dynamoOf(fn: string): DynamoUsage {
    let usage = this.measure.dynamo.get(fn);
    if (!usage) {
      usage = { requests: {}, readUnits: 0, tableWriteUnits: 0, indexWriteUnits: 0, writeUnitsByOp: {} };
      this.measure.dynamo.set(fn, usage);
    }
    return usage;
  }

  private wrapHandler<E, R>(fn: string, handler: LambdaHandler<E, R>): LambdaHandler<E, R> {
    return async (event, context) => {
      this.active += 1;
      const started = performance.now();
      const invocation: Invocation = { fn, ms: 0 };
      const records = (event as Partial<SQSEvent>)?.Records;
      if (Array.isArray(records)) {
        invocation.records = records.length;
        // The event source's ReceiveMessage that delivered this batch.
        this.countSqs('ReceiveMessage', 1, fn);
      }
      if (event && typeof event === 'object' && 'wake' in event) invocation.wake = true;
      try {
        const result = await this.current.run(fn, () => handler(event, context));
        if (invocation.records !== undefined) invocation.failed = (result as SQSBatchResponse | undefined)?.batchItemFailures?.length ?? 0;
        return result;
      } catch (err) {
        if (invocation.records !== undefined) invocation.failed = invocation.records;
        throw err;
      } finally {
        invocation.ms = performance.now() - started;
        // The event source deletes what succeeded in one DeleteMessageBatch.
        if (invocation.records !== undefined && invocation.records > (invocation.failed ?? 0)) this.countSqs('DeleteMessageBatch', 1, fn);
        this.measure.invocations.push(invocation);
        this.active -= 1;
      }
    };
  }

  private async image(key: Key): Promise<ItemImage | undefined> {
    if (!this.images) throw new Error('the cost meter needs readImagesFrom() before the first write');
    const Key: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(key)) Key[k] = { S: String(v) };
    const out = await this.images.client.send(new GetItemCommand({ TableName: this.images.table, Key, ConsistentRead: true }));
    return out.Item;
  }

  private attachStore(doc: DynamoDBDocumentClient): DynamoDBDocumentClient {
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const op = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        const usage = this.dynamoOf(this.fn());
        usage.requests[op] = (usage.requests[op] ?? 0) + 1;
        const input = args.input as Record<string, unknown>;
        if (READS.has(op)) {
          // The embedded store computes read units as DynamoDB does (4 KB, halved for eventually consistent reads).
          input.ReturnConsumedCapacity = 'TOTAL';
          const out = await next(args);
          const consumed = (out.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
          usage.readUnits += [consumed ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
          return out;
        }
        if (!WRITES.has(op)) return next(args);
        const keys = keysOfWrite(op, input);
        const before = await Promise.all(keys.map((k) => this.image(k)));
        let refused = false;
        try {
          return await next(args);
        } catch (err) {
          refused = isConditionFailure(err);
          throw err;
        } finally {
          const after = refused ? before : await Promise.all(keys.map((k) => this.image(k)));
          for (const [i, b] of before.entries()) {
            const cost = writeCost(b, after[i], INDEXES, refused);
            usage.tableWriteUnits += cost.table;
            usage.indexWriteUnits += cost.indexes;
            usage.writeUnitsByOp[op] = (usage.writeUnitsByOp[op] ?? 0) + cost.table + cost.indexes;
          }
        }
      },
      { step: 'initialize', name: 'benchCostMeter' },
    );
    return doc;
  }
}
