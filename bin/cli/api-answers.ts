/** The API answers the CLI renders, checked with zod: a server that answers something else is reported, not half-printed. */
import * as z from '../../lambdas/shared/zod';

// Loose objects throughout: the API may add fields, and the CLI should keep working when it does.
// Statuses are plain strings for the same reason: rendering needs no knowledge of which ones exist.

export const stepView = z.looseObject({
  stepId: z.string(),
  action: z.string(),
  status: z.string(),
  dueAt: z.string(),
  attempts: z.optional(z.number()),
  note: z.optional(z.string()),
  /** What the last attempt failed with, and what the provider answered (status and body excerpt), while the step waits. */
  lastError: z.optional(z.looseObject({ message: z.string(), providerAnswer: z.optional(z.string()) })),
  /** Some answers carry a step's error as a plain `error` (a message, or an object with one). */
  error: z.optional(z.union([z.string(), z.looseObject({ message: z.string(), providerAnswer: z.optional(z.string()) })])),
  hold: z.optional(z.string()),
  heldAccount: z.optional(z.looseObject({ system: z.string(), account: z.string() })),
});

export const runView = z.looseObject({
  runId: z.string(),
  type: z.string(),
  status: z.string(),
  steps: z.array(stepView),
  employeeId: z.optional(z.string()),
  eventId: z.optional(z.string()),
  effectiveDate: z.optional(z.string()),
  urgent: z.optional(z.boolean()),
  updatedAt: z.optional(z.string()),
  cancelsRunId: z.optional(z.string()),
  restoresRunId: z.optional(z.string()),
  /** A revoke run's one account and why (docs/inactivity.md). */
  revoke: z.optional(z.looseObject({ system: z.string(), accountId: z.string(), email: z.optional(z.string()), reason: z.string(), detail: z.string() })),
  approval: z.optional(
    z.looseObject({
      requiredBy: z.string(),
      planHash: z.string(),
      decision: z.optional(z.string()),
      decidedBy: z.optional(z.string()),
      decidedAt: z.optional(z.string()),
      reason: z.optional(z.string()),
    }),
  ),
  role: z.optional(
    z.looseObject({
      name: z.string(),
      text: z.optional(z.string()),
      previous: z.optional(z.looseObject({ name: z.string(), runId: z.string() })),
      grantedByRunId: z.optional(z.string()),
      errors: z.optional(z.array(z.looseObject({ role: z.string(), property: z.string(), message: z.string() }))),
    }),
  ),
});

export const errorAnswer = z.looseObject({
  error: z.string(),
  issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

export const auditView = z.looseObject({
  at: z.string(),
  actor: z.string(),
  change: z.string(),
  runId: z.optional(z.string()),
  stepId: z.optional(z.string()),
  from: z.optional(z.string()),
  to: z.optional(z.string()),
});

export const employeeAnswer = z.looseObject({
  employee: z.looseObject({
    id: z.string(),
    firstName: z.string(),
    lastName: z.optional(z.string()),
    email: z.optional(z.string()),
    personalEmail: z.optional(z.string()),
    managerEmail: z.optional(z.string()),
    role: z.optional(z.string()),
    timezone: z.optional(z.string()),
  }),
  accounts: z._default(
    z.array(z.looseObject({ system: z.string(), address: z.string(), accountId: z.optional(z.string()), state: z.string(), boundBy: z.string() })),
    [],
  ),
  hireAddress: z.optional(z.string()),
  runs: z.array(runView),
  audit: z.array(auditView),
});

export const runsAnswer = z.looseObject({ runs: z.array(runView) });

export const alertView = z.looseObject({
  alertId: z.string(),
  raisedAt: z.string(),
  employeeId: z.string(),
  runId: z.string(),
  stepId: z.string(),
  action: z.string(),
  attempts: z.number(),
  providerAnswer: z.string(),
  message: z.string(),
  whatToDo: z.string(),
  status: z.string(),
  resolution: z.optional(z.string()),
});

export const alertsAnswer = z.looseObject({ alerts: z.array(alertView) });

export const sweepAnswer = z.looseObject({
  itemsRead: z.number(),
  runsDue: z.number(),
  stepsQueued: z.number(),
  failures: z.number(),
});

/** GET /v1/quarantine: how many runs the mass-change guard holds, and the open batch. */
export const quarantineAnswer = z.looseObject({
  held: z.number(),
  threshold: z.number(),
  windowMinutes: z.number(),
  batch: z.optional(z.looseObject({ batchId: z.string(), alertId: z.string(), openedAt: z.string() })),
});

/** POST /v1/quarantine/release and /reject. */
export const quarantineDecisionAnswer = z.looseObject({ decision: z.string(), count: z.number(), runIds: z.array(z.string()) });

export type StepView = z.infer<typeof stepView>;
export type RunView = z.infer<typeof runView>;
export type AuditView = z.infer<typeof auditView>;
export type EmployeeAnswer = z.infer<typeof employeeAnswer>;
export type AlertView = z.infer<typeof alertView>;
export type SweepAnswer = z.infer<typeof sweepAnswer>;
export type QuarantineAnswer = z.infer<typeof quarantineAnswer>;
export type QuarantineDecisionAnswer = z.infer<typeof quarantineDecisionAnswer>;
