/** The lifecycle store on an embedded DynamoDB-compatible server that starts only when a test first uses it. */
import { LOCAL_AWS, startEmbeddedStore, type EmbeddedStore } from '../../local/embedded-store';
import { createDocumentClient, DynamoStore } from '../../lambdas/store/dynamo-store';
import type { LifecycleStore } from '../../lambdas/store/lifecycle-store';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';

export interface LazyStore {
  store: LifecycleStore;
  /** Every item in the table, for tests that look for what must never be stored. */
  scanAll(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

const TABLE = 'lifecycle-test';

export function lazyStore(): LazyStore {
  let started: Promise<{ server: EmbeddedStore; store: DynamoStore }> | undefined;
  const ready = () =>
    (started ??= startEmbeddedStore({ tableName: TABLE }).then((server) => ({
      server,
      store: new DynamoStore(createDocumentClient({ ...LOCAL_AWS, endpoint: server.endpoint }), TABLE),
    })));
  const store = new Proxy({} as LifecycleStore, {
    get: (_t, name: string) => async (...args: unknown[]) => {
      const { store: real } = await ready();
      return (real[name as keyof DynamoStore] as (...a: unknown[]) => Promise<unknown>).apply(real, args);
    },
  });
  return {
    store,
    async scanAll() {
      const { server } = await ready();
      const out = await createDocumentClient({ ...LOCAL_AWS, endpoint: server.endpoint }).send(new ScanCommand({ TableName: TABLE }));
      return out.Items ?? [];
    },
    async stop() {
      if (started) await (await started).server.stop();
    },
  };
}
