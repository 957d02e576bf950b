/** Deterministic ids: the same HR event always names the same run, so a retry never creates a second. */
import { createHash, randomBytes } from 'node:crypto';

/** A run id derived from the event id: a UUID-shaped slice of its SHA-256. */
export function runIdFor(eventId: string): string {
  const h = createHash('sha256').update(`run:${eventId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A short random token: lease owners and audit sequence numbers. */
export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** SHA-256 of a request body, stored with the event to tell a replay from a conflicting reuse of its id. */
export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Which due-index shard a run lives on: spread evenly, stable for the run's life. */
export function shardOf(runId: string, shards: number): number {
  return parseInt(runId.slice(0, 8), 16) % shards;
}

/**
 * The hash of a run's plan: what an operator approves is exactly what runs. `employee`: the person as the approver is
 * shown them, which the steps read when they run (the personal address the welcome goes to, above all): a plan held
 * again for another address is another plan, so an approval of the one before is refused.
 */
export function planHash(steps: { stepId: string; action: string; params: Record<string, unknown>; dueAt: string; after: string[] }[], employee?: object): string {
  const plan: unknown[] = steps.map((s) => [s.stepId, s.action, canonical(s.params), s.dueAt, [...s.after].sort()]);
  if (employee) plan.push(['employee', canonical(employee)]);
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 32);
}

/** JSON with object keys in order, so the same parameters always hash the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}
