/** The shared budget's store semantics in memory (a window's slot per second, taken up to its capacity), counting writes. */
import type { BudgetStore } from '../../lambdas/providers/shared-budget';

export class MemoryBudgetStore implements BudgetStore {
  private readonly slots = new Map<string, { window: number; taken: number }>();
  writes = 0;
  async take(budget: string, window: number, want: number, capacity: number) {
    this.writes += 1;
    const key = `${budget}#${window % 60}`;
    const slot = this.slots.get(key);
    if (!slot || slot.window < window) {
      this.slots.set(key, { window, taken: want });
      return want;
    }
    if (slot.window === window && slot.taken + want <= capacity) {
      slot.taken += want;
      return want;
    }
    return 0;
  }
}
