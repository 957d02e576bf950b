/** What every DynamoDB repository shares: the document client on one table, and its item conventions. */
import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../table-schema';

export type Item = Record<string, unknown>;

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** The document client and the table's name, handed to each repository. */
export interface DynamoTable {
  doc: DynamoDBDocumentClient;
  name: string;
}

/** An item as the domain sees it: without its keys, kind, index attributes and TTL. */
export const strip = <T>(item: Item | undefined, extra: string[] = []): T | undefined => {
  if (!item) return undefined;
  const copy: Item = { ...item };
  for (const k of ['PK', 'SK', 'kind', 'runStatus', TABLE.ttlAttribute, ...extra]) delete copy[k];
  return copy as T;
};

export const isConditionFailure = (err: unknown) =>
  err instanceof ConditionalCheckFailedException || (err as { name?: string })?.name === 'ConditionalCheckFailedException';

/** Every item a query matches, page after page. */
export async function queryAll(table: DynamoTable, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await table.doc.send(new QueryCommand({ ...input, TableName: table.name, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
