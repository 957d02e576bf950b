/** Counts the DynamoDB requests a client sends, by operation, so a benchmark can say what a step cost. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type RequestCounts = Record<string, number>;

export class RequestCounter {
  private readonly counts: RequestCounts = {};
  private read = 0;

  /** Adds a counting middleware to the client; every request it sends from now on is counted. */
  attach(doc: DynamoDBDocumentClient): this {
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        // 'GetItemCommand' -> 'GetItem', as the DynamoDB API names the operation.
        const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        this.counts[operation] = (this.counts[operation] ?? 0) + 1;
        const result = await next(args);
        this.read += itemsReadBy(result.output);
        return result;
      },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
    return this;
  }

  /** Items read by every request counted so far (see itemsReadBy). */
  itemsRead(): number {
    return this.read;
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

/**
 * Items a request's answer says it read: a Query's or Scan's ScannedCount (before any filter), one for a GetItem that
 * found its item, the items of a BatchGetItem; none for a write.
 */
export function itemsReadBy(output: unknown): number {
  if (typeof output !== 'object' || output === null) return 0;
  const o = output as { ScannedCount?: unknown; Item?: unknown; Responses?: unknown };
  if (typeof o.ScannedCount === 'number') return o.ScannedCount;
  if (o.Item !== undefined) return 1;
  if (typeof o.Responses === 'object' && o.Responses !== null) return Object.values(o.Responses).reduce((n: number, items) => n + (Array.isArray(items) ? items.length : 0), 0);
  return 0;
}

export const totalRequests = (counts: RequestCounts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** "4 Query, 100 GetItem, 100 PutItem" in a stable order. */
export function describeRequests(counts: RequestCounts): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'none' : entries.map(([operation, n]) => `${n.toLocaleString('en-US')} ${operation}`).join(', ');
}
