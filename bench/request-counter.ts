/** Counts the DynamoDB requests a client sends, by operation, so a benchmark can say what a step cost. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type RequestCounts = Record<string, number>;

export class RequestCounter {
  private readonly counts: RequestCounts = {};

  /** Adds a counting middleware to the client; every request it sends from now on is counted. */
  attach(doc: DynamoDBDocumentClient): this {
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        // 'GetItemCommand' -> 'GetItem', as the DynamoDB API names the operation.
        const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        this.counts[operation] = (this.counts[operation] ?? 0) + 1;
        return next(args);
      },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
    return this;
  }

  snapshot(): RequestCounts {
    return { ...this.counts };
  }

  /** Requests sent since `before` was taken, without the operations that were not used. */
  since(before: RequestCounts): RequestCounts {
    const delta: RequestCounts = {};
    for (const [operation, n] of Object.entries(this.counts)) {
      const d = n - (before[operation] ?? 0);
      if (d > 0) delta[operation] = d;
    }
    return delta;
  }
}

export const totalRequests = (counts: RequestCounts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** "4 Query, 100 GetItem, 100 PutItem" in a stable order. */
export function describeRequests(counts: RequestCounts): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'none' : entries.map(([operation, n]) => `${n.toLocaleString('en-US')} ${operation}`).join(', ');
}
