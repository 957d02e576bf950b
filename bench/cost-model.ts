/**
 * The arithmetic of the cost benchmark, pure: DynamoDB item sizes and request units (table and index writes from
 * the item before and after), Lambda GB-s, the state transitions of an equivalent Step Functions machine, and
 * what a lifecycle's usage costs at the list prices.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { priceOf, type PriceName } from './cost-prices';

export type ItemImage = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** A number's size: one byte per two significant digits, plus one (leading and trailing zeros do not count). */
function numberSize(n: string): number {
  const digits = n.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** A value's size as DynamoDB counts it for capacity (the attribute's name is counted by its container). */
export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS !== undefined) return v.SS.reduce((n, s) => n + utf8(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if (v.BS !== undefined) return v.BS.reduce((n, b) => n + b.length, 0);
  // A map or list: 3 bytes whatever it holds, and a byte per element.
  if (v.M !== undefined) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + utf8(k) + valueSize(x) + 1, 0);
  if (v.L !== undefined) return 3 + v.L.reduce((n, x) => n + valueSize(x) + 1, 0);
  return 0;
}

/** An item's size: each attribute's name and value. */
export const itemSize = (item: ItemImage | undefined): number =>
  item ? Object.entries(item).reduce((n, [k, v]) => n + utf8(k) + valueSize(v), 0) : 0;

/** Write request units of one write: 1 KB each, at least one. */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

export interface IndexKey {
  partitionKey: string;
  sortKey: string;
}

const keyOf = (item: ItemImage | undefined, index: IndexKey): string | undefined => {
  const pk = item?.[index.partitionKey];
  const sk = item?.[index.sortKey];
  return pk && sk ? JSON.stringify([pk, sk]) : undefined;
};

/**
 * What one table write costs in a global secondary index projecting ALL attributes, from the item before and after:
 * nothing when the item is in neither or nothing changed; a put or a delete when it enters or leaves; an update in
 * place when it stays under the same key; a delete and a put when its key changes.
 */
export function indexWriteUnits(before: ItemImage | undefined, after: ItemImage | undefined, index: IndexKey): number {
  const was = keyOf(before, index);
  const is = keyOf(after, index);
  if (!was && !is) return 0;
  if (was && !is) return writeUnits(itemSize(before));
  if (!was && is) return writeUnits(itemSize(after));
  if (was !== is) return writeUnits(itemSize(before)) + writeUnits(itemSize(after));
  return JSON.stringify(before) === JSON.stringify(after) ? 0 : writeUnits(itemSize(after));
}

/** Table and index write units of one write; a write refused by its condition still costs the table its item's size. */
export function writeCost(before: ItemImage | undefined, after: ItemImage | undefined, indexes: readonly IndexKey[], refused: boolean): { table: number; indexes: number } {
  if (refused) return { table: writeUnits(itemSize(before)), indexes: 0 };
  return {
    table: writeUnits(Math.max(itemSize(before), itemSize(after))),
    indexes: indexes.reduce((n, index) => n + indexWriteUnits(before, after, index), 0),
  };
}

/** GB-s of one invocation: billed by the millisecond, rounded up, at the configured memory. */
export const gbSeconds = (ms: number, memoryMb: number): number => (Math.max(1, Math.ceil(ms)) / 1000) * (memoryMb / 1024);

/**
 * State transitions of the same run as a Step Functions Standard state machine: a Map over the run's steps and a
 * final task recording the run's end; per step a Wait (until it is due), a Task invoking its action and a Task
 * recording the result; each further invocation of a step (a "not yet" or a retry) a Choice, a Wait and the Task
 * again. A lower bound: the `after` dependencies between steps would need more states.
 */
export function stepFunctionsTransitions(invocationsPerStep: number[]): number {
  return 2 + invocationsPerStep.reduce((n, invocations) => n + 3 + 3 * Math.max(0, invocations - 1), 0);
}

/** What a lifecycle used, service by service, in the units AWS bills. */
export interface Usage {
  apiRequests: number;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  sqsRequests: number;
  snsPublishes: number;
  snsEmails: number;
  schedulerInvocations: number;
}

export const emptyUsage = (): Usage => ({
  apiRequests: 0,
  lambdaRequests: 0,
  lambdaGbSeconds: 0,
  dynamoReadUnits: 0,
  dynamoWriteUnits: 0,
  sqsRequests: 0,
  snsPublishes: 0,
  snsEmails: 0,
  schedulerInvocations: 0,
});

export const USAGE_PRICES: Record<keyof Usage, PriceName> = {
  apiRequests: 'apiGatewayRequest',
  lambdaRequests: 'lambdaRequest',
  lambdaGbSeconds: 'lambdaArmGbSecond',
  dynamoReadUnits: 'dynamoReadUnit',
  dynamoWriteUnits: 'dynamoWriteUnit',
  sqsRequests: 'sqsRequest',
  snsPublishes: 'snsPublish',
  snsEmails: 'snsEmail',
  schedulerInvocations: 'schedulerInvocation',
};

export function addUsage(a: Usage, b: Usage): Usage {
  const out = emptyUsage();
  for (const k of Object.keys(out) as (keyof Usage)[]) out[k] = a[k] + b[k];
  return out;
}

/** Dollars per service line, and their sum. */
export function priceUsage(usage: Usage): { lines: Record<keyof Usage, number>; total: number } {
  const lines = emptyUsage();
  let total = 0;
  for (const k of Object.keys(lines) as (keyof Usage)[]) {
    lines[k] = priceOf(USAGE_PRICES[k], usage[k]);
    total += lines[k];
  }
  return { lines, total };
}
