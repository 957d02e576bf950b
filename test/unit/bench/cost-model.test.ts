/** The cost benchmark's arithmetic: DynamoDB sizes and request units, index writes, GB-s, state transitions, prices. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { emptyUsage, gbSeconds, indexWriteUnits, itemSize, priceUsage, stepFunctionsTransitions, valueSize, writeCost, writeUnits, type ItemImage } from '../../../bench/cost-model';

const INDEX = { partitionKey: 'runStatus', sortKey: 'updatedAt' };
const padded = (bytes: number): AttributeValue => ({ S: 'x'.repeat(bytes) });
const run = (updatedAt: string, body = 100): ItemImage => ({ PK: { S: 'EMP#1' }, runStatus: { S: 'in_progress' }, updatedAt: { S: updatedAt }, body: padded(body) });

describe('DynamoDB item sizes', () => {
  it.each<[string, AttributeValue, number]>([
    ['a string by its UTF-8 bytes', { S: 'Jöhn' }, 5],
    ['a number by its significant digits, two to a byte, plus one', { N: '12345' }, 4],
    ['a number without its leading and trailing zeros', { N: '0.00100' }, 2],
    ['a boolean', { BOOL: true }, 1],
    ['a map: 3 bytes, each name and value, a byte per element', { M: { a: { S: 'xy' } } }, 3 + 1 + 2 + 1],
    ['a list: 3 bytes, each value, a byte per element', { L: [{ S: 'xy' }, { NULL: true }] }, 3 + 2 + 1 + 1 + 1],
  ])('counts %s', (_what, value, bytes) => {
    expect(valueSize(value)).toBe(bytes);
  });

  it('adds each attribute name to its value', () => {
    expect(itemSize({ PK: { S: 'EMP#1' }, n: { N: '7' } })).toBe(2 + 5 + 1 + 2);
    expect(itemSize(undefined)).toBe(0);
  });

  it('bills a write by the kilobyte, at least one unit', () => {
    expect([0, 1, 1024, 1025, 4096].map(writeUnits)).toEqual([1, 1, 1, 2, 4]);
  });
});

describe('index writes of a table write (ALL projection)', () => {
  it('costs nothing for an item in neither image or unchanged', () => {
    expect(indexWriteUnits({ PK: { S: 'a' } }, { PK: { S: 'a' }, x: { S: 'y' } }, INDEX)).toBe(0);
    expect(indexWriteUnits(run('t1'), run('t1'), INDEX)).toBe(0);
  });

  it('puts an item entering the index and deletes one leaving it, each by its size', () => {
    expect(indexWriteUnits(undefined, run('t1', 3000), INDEX)).toBe(3);
    expect(indexWriteUnits(run('t1', 3000), { PK: { S: 'EMP#1' } }, INDEX)).toBe(3);
  });

  it('updates in place under the same key, and deletes and puts when the key changes', () => {
    expect(indexWriteUnits(run('t1', 3000), run('t1', 3001), INDEX)).toBe(3);
    expect(indexWriteUnits(run('t1', 3000), run('t2', 3000), INDEX)).toBe(6);
  });

  it('charges a write refused by its condition the table item only', () => {
    expect(writeCost(run('t1', 3000), run('t2', 5000), [INDEX], true)).toEqual({ table: 3, indexes: 0 });
    expect(writeCost(run('t1', 3000), run('t2', 5000), [INDEX], false)).toEqual({ table: 5, indexes: 3 + 5 });
  });
});

describe('Lambda and Step Functions', () => {
  it('bills GB-s by the millisecond rounded up at the configured memory', () => {
    expect(gbSeconds(100, 512)).toBeCloseTo(0.05, 10);
    expect(gbSeconds(0.2, 1024)).toBeCloseTo(0.001, 10);
  });

  it('counts a Map and an end task per run, three states per step, three more per further invocation', () => {
    expect(stepFunctionsTransitions([])).toBe(2);
    expect(stepFunctionsTransitions([1, 1])).toBe(2 + 3 + 3);
    expect(stepFunctionsTransitions([3])).toBe(2 + 3 + 6);
  });

  it('prices usage at the list prices', () => {
    const { lines, total } = priceUsage({ ...emptyUsage(), lambdaRequests: 1e6, dynamoWriteUnits: 1e6, schedulerInvocations: 1e6 });
    expect(lines.lambdaRequests).toBeCloseTo(0.2, 10);
    expect(lines.dynamoWriteUnits).toBeCloseTo(0.625, 10);
    expect(total).toBeCloseTo(0.2 + 0.625 + 1, 10);
  });
});
