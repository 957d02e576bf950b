/** The cost meter counts at the runtime's seams: request units of real writes against the embedded store, and the SQS requests of a batch. */
import { PutCommand, UpdateCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { createDocumentClient } from '../../../lambdas/store/dynamo-store';
import { LOCAL_AWS, startEmbeddedStore, type EmbeddedStore } from '../../../local/embedded-store';
import { CostMeter, UNATTRIBUTED } from '../../../bench/cost-meter';

const TABLE = 'cost-meter-test';
const context = {} as Context;

describe('cost meter', () => {
  let store: EmbeddedStore;
  beforeAll(async () => {
    store = await startEmbeddedStore({ tableName: TABLE });
  });
  afterAll(async () => {
    await store.stop();
  });

  function metered() {
    const meter = new CostMeter();
    const seam = meter.instrument();
    const doc = seam.documentClient(createDocumentClient({ ...LOCAL_AWS, endpoint: store.endpoint }));
    meter.readImagesFrom(store.endpoint, TABLE);
    return { meter, seam, doc };
  }

  it('charges a run write in the status index twice when its sort key moves, and to the function that wrote it', async () => {
    const { meter, seam, doc } = metered();
    const key = { PK: 'EMP#M1', SK: 'RUN#r1' };
    const body = 'x'.repeat(3000);
    const write = seam.handler('dispatcher', async () => {
      await doc.send(new PutCommand({ TableName: TABLE, Item: { ...key, runStatus: 'in_progress', updatedAt: 't1', body } }));
      await doc.send(new UpdateCommand({ TableName: TABLE, Key: key, UpdateExpression: 'SET updatedAt = :t', ExpressionAttributeValues: { ':t': 't2' } }));
      await doc.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }));
    });
    await write({}, context);
    const usage = meter.take().dynamo.get('dispatcher')!;
    expect(usage.requests).toEqual({ PutItem: 1, UpdateItem: 1, GetItem: 1 });
    // 3 KB: the put enters the index (3), the update moves its key (delete 3 + put 3); the table 3 each.
    expect(usage.tableWriteUnits).toBe(6);
    expect(usage.indexWriteUnits).toBe(3 + 6);
    expect(usage.readUnits).toBe(1);
  });

  it('charges a write refused by its condition the table item and no index', async () => {
    const { meter, seam, doc } = metered();
    const key = { PK: 'EMP#M2', SK: 'RUN#r2' };
    await doc.send(new PutCommand({ TableName: TABLE, Item: { ...key, runStatus: 'in_progress', updatedAt: 't1' } }));
    meter.take();
    const refused = seam.handler('dispatcher', () =>
      doc.send(new PutCommand({ TableName: TABLE, Item: { ...key, runStatus: 'done', updatedAt: 't2' }, ConditionExpression: 'attribute_not_exists(PK)' })),
    );
    await expect(refused({}, context)).rejects.toThrow(/conditional/i);
    const usage = meter.take().dynamo.get('dispatcher')!;
    expect(usage).toMatchObject({ tableWriteUnits: 1, indexWriteUnits: 0 });
  });

  it('names a request made outside any function unattributed', async () => {
    const { meter, doc } = metered();
    await doc.send(new GetCommand({ TableName: TABLE, Key: { PK: 'none', SK: 'none' } }));
    expect([...meter.take().dynamo.keys()]).toEqual([UNATTRIBUTED]);
  });

  it('counts the event source receive per batch and a delete only when a record succeeded', async () => {
    const { meter, seam } = metered();
    const batch = (n: number): SQSEvent => ({ Records: Array.from({ length: n }, (_, i) => ({ messageId: `m${i}` })) as SQSEvent['Records'] });
    await seam.handler('dispatcher', async () => ({ batchItemFailures: [] }))(batch(3), context);
    await seam.handler('dispatcher', async () => ({ batchItemFailures: [{ itemIdentifier: 'm0' }] }))(batch(1), context);
    const m = meter.take();
    expect(m.sqs.get('dispatcher')).toEqual({ ReceiveMessage: 2, DeleteMessageBatch: 1 });
    expect(m.invocations.map((i) => [i.records, i.failed])).toEqual([[3, 0], [1, 1]]);
  });
});
