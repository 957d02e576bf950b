/** zod schemas for stage settings and playbooks: validated at synth and at start. */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

export const playbookStepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    action: z.string().regex(/^[a-z]+\.[A-Za-z]+$/, 'must be provider.actionName'),
    params: z.record(z.string(), z.unknown()).default({}),
    /** Runs at the cut-off: the end of the effective day in the employee's time zone, or at once when urgent. */
    cutoff: z.boolean().default(false),
    offsetDays: z.number().int().min(-60).max(3650).default(0),
    at: hhmm.default('09:00'),
    after: z.array(z.string()).default([]),
    enabled: z.boolean().default(true),
  })
  .strict();

export const playbookSchema = z
  .object({ steps: z.array(playbookStepSchema) })
  .strict()
  .superRefine((playbook, ctx) => {
    const ids = new Set<string>();
    playbook.steps.forEach((step, i) => {
      if (ids.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id ${step.id}` });
      ids.add(step.id);
    });
    playbook.steps.forEach((step, i) => {
      step.after.forEach((dep, j) => {
        if (!ids.has(dep)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'after', j], message: `unknown step ${dep}` });
      });
    });
  });

export const playbooksSchema = z
  .object({ hire: playbookSchema, role_change: playbookSchema, terminate: playbookSchema })
  .strict();

export const stageConfigSchema = z
  .object({
    stage: z.enum(['local', 'dev', 'prod']),
    /** EventBridge cron expression of the sweep, without the cron() wrapper. */
    sweepCron: z.string().min(9),
    dueShards: z.number().int().min(1).max(64),
    /** First retry delay; each further retry doubles it. */
    retryBaseSeconds: z.number().int().min(1).max(900),
    leaseSeconds: z.number().int().min(5).max(900),
    requeueAfterSeconds: z.number().int().min(30),
    maxReceiveCount: z.literal(4),
    dispatcherTimeoutSeconds: z.number().int().min(5).max(900),
    actionTimeoutSeconds: z.number().int().min(3).max(900),
    /** Upper bound of concurrent dispatcher invocations from the SQS event source. */
    dispatcherMaxConcurrency: z.number().int().min(2).max(1000),
    forwardUrls: z.array(z.url()).default([]),
    apiThrottle: z.object({ rateLimit: z.number().positive(), burstLimit: z.number().int().positive() }).strict(),
    logRetentionDays: z.number().int().positive(),
    alertEmails: z.array(z.email()).default([]),
    google: z
      .object({
        /** The Workspace admin the service account impersonates (domain-wide delegation). */
        adminSubject: z.email(),
        customerId: z.string().min(1).default('my_customer'),
        /** What this stage allows itself against Google, per Lambda container. */
        requestsPerMinute: z.number().int().positive().default(1500),
      })
      .strict(),
    connect: z.object({ instanceId: z.string().min(1) }).strict(),
    /** Which playbook set (config/playbooks.ts) this stage runs. */
    playbookSet: z.string().min(1).default('default'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.leaseSeconds < c.actionTimeoutSeconds) {
      ctx.addIssue({ code: 'custom', path: ['leaseSeconds'], message: 'must be at least actionTimeoutSeconds' });
    }
    if (c.dispatcherTimeoutSeconds < c.actionTimeoutSeconds) {
      ctx.addIssue({ code: 'custom', path: ['dispatcherTimeoutSeconds'], message: 'must be at least actionTimeoutSeconds' });
    }
  });

export type StageConfig = z.infer<typeof stageConfigSchema>;
export type Playbooks = z.infer<typeof playbooksSchema>;
export type PlaybookStep = z.infer<typeof playbookStepSchema>;
export type StageName = StageConfig['stage'];
