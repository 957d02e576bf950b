/**
 * The shared request budgets' counters: per budget a ring of 60 items, one per window (second) modulo 60, each taken
 * from with one conditional write. No transaction and no TTL: the ring reuses its items, so nothing piles up.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BudgetStore } from '../../providers/shared-budget';
import { keys } from '../table-schema';
import { isConditionFailure, type DynamoTable } from './dynamo-table';

/** Items per budget: a window's item is reused 60 windows later. */
export const BUDGET_SLOTS = 60;

export class DynamoBudgetStore implements BudgetStore {
  constructor(private readonly table: DynamoTable) {}

  async take(budget: string, window: number, want: number, capacity: number): Promise<number> {
    if (want > capacity) return 0;
    const key = keys.requestBudgetSlot(budget, window % BUDGET_SLOTS);
    const names = { '#w': 'window', '#t': 'taken' };
    // Most takes find their window claimed: they add to it while it has room, in one write (a refused conditional
    // write is billed too, so the usual case is tried first). DynamoDB evaluates the condition and the ADD as one.
    const add = () => this.conditional(key, 'ADD #t :n', '#w = :w AND #t <= :room', names, { ':w': window, ':n': want, ':room': capacity - want });
    if (await add()) return want;
    // The first take of a window claims the item for it (its last use was 60 windows ago, or never).
    if (await this.conditional(key, 'SET #w = :w, #t = :n, kind = :kind', 'attribute_not_exists(#w) OR #w < :w', names, { ':w': window, ':n': want, ':kind': 'budget' })) return want;
    // Another process claimed it between the two writes: add to its claim, if there is room.
    return (await add()) ? want : 0;
  }

  private async conditional(key: Record<string, string>, update: string, condition: string, names: Record<string, string>, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.table.doc.send(
        new UpdateCommand({ TableName: this.table.name, Key: key, UpdateExpression: update, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
