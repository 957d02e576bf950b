/** zod schemas for stage settings and playbooks: validated at synth and at start. */
import { worstCaseDispatchSeconds } from './dispatch-timing';
import { accountPolicySchema, DEFAULT_ACCOUNT_POLICY } from './account-policy';
import { DEFAULT_MAILBOX_DELEGATION, mailboxDelegationSchema } from './mailbox-delegation';
import { DEFAULT_MAIL_RETENTION, mailRetentionSchema } from './mail-retention';
import { DEFAULT_HANDOVER, handoverSchema } from './handover';
import { scimAppsSchema } from './scim-apps';
import { MIN_DISPATCHER_MAX_CONCURRENCY, PRIORITY_CLASSES } from './priority';
import { jiraSchema } from './jira';
import { frontSchema } from './front';
import { nextcloudSchema } from './nextcloud';
import { DEFAULT_INACTIVITY, inactivitySchema } from './inactivity';
import { openProjectSchema } from './openproject';
import { matrixSchema } from './matrix';
import { consolidationSchema, DEFAULT_CONSOLIDATION } from './consolidation';
import * as z from './zod';

const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'));

export const playbookStepSchema = z.strictObject({
  id: z.string().check(
    z.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    // Restore steps (a cancel's, a rehire's) are named restore-<step id>.
    z.refine((id) => !id.startsWith('restore-'), 'must not start with restore-, which names restore steps'),
  ),
  action: z.string().check(z.regex(/^[a-z]+\.[A-Za-z]+$/, 'must be provider.actionName')),
  params: z._default(z.record(z.string(), z.unknown()), {}),
  /**
   * Runs at the cut-off: the end of the effective day in the employee's time zone, or at once when urgent. With a
   * negative offsetDays, that many days before the cut-off (at midnight), and still at once when urgent.
   */
  cutoff: z._default(z.boolean(), false),
  offsetDays: z._default(z.number().check(z.int(), z.gte(-60), z.lte(3650)), 0),
  at: z._default(hhmm, '09:00'),
  after: z._default(z.array(z.string()), []),
  /** Runs at its exact minute (an EventBridge Scheduler wake) rather than at the first sweep after it. */
  exactTime: z._default(z.boolean(), false),
  /** Waits for every step planned from the employee's role (e.g. a summary of the accounts made). */
  afterRole: z._default(z.boolean(), false),
  enabled: z._default(z.boolean(), true),
  /** Overrides the catalog's priority class of the step's action (lockout, protect, housekeeping). */
  priority: z.optional(z.enum(PRIORITY_CLASSES)),
  /**
   * A notice before a leaver's cut-off: due the stage's `leaverNoticeDays` before the effective date at `at` (at once when
   * that has passed); not planned for an urgent leaver, once the cut-off has passed, or when the stage's setting is 0.
   */
  notice: z._default(z.boolean(), false),
});

/**
 * When the steps planned from the employee's role are due: days from the effective date and the local time,
 * and the playbook steps they wait for (a joiner's access waits for the account). A mover's removals fall
 * `moverGraceDays` (stage setting) later.
 */
export const roleTimingSchema = z.strictObject({
  offsetDays: z._default(z.number().check(z.int(), z.gte(-60), z.lte(60)), 0),
  at: z._default(hhmm, '00:00'),
  after: z._default(z.array(z.string()), []),
});

export const playbookSchema = z.strictObject({ steps: z.array(playbookStepSchema), role: z.optional(roleTimingSchema) }).check(
  z.superRefine((playbook, ctx) => {
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
    playbook.steps.forEach((step, i) => {
      if (step.cutoff && step.offsetDays > 0) ctx.addIssue({ code: 'custom', path: ['steps', i, 'offsetDays'], message: 'must be 0 or negative on a cut-off step: days before the cut-off' });
    });
    playbook.role?.after.forEach((dep, j) => {
      if (!ids.has(dep)) ctx.addIssue({ code: 'custom', path: ['role', 'after', j], message: `unknown step ${dep}` });
    });
  }),
);

export const playbooksSchema = z.strictObject({ hire: playbookSchema, role_change: playbookSchema, terminate: playbookSchema });

/** Days before a non-urgent leaver's last day that a `notice` step is due, unless the stage says otherwise. */
export const DEFAULT_LEAVER_NOTICE_DAYS = 3;

/** A downstream receiver's name: part of the purpose its forwards are signed for, and of its key secret's name. */
export const receiverNameSchema = z.string().check(
  z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case: lower-case letters and digits, joined by single dashes'),
  z.maxLength(40, 'must be at most 40 characters'),
);

export const receiverUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A list of named receivers (forwardTo and its env form): names must be unique, since each names one key. */
export function receiverList<T extends { name: string }>(item: z.ZodMiniType<T>) {
  return z.array(item).check(
    z.superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((r, i) => {
        if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate receiver name ${r.name}` });
        seen.add(r.name);
      });
    }),
  );
}

/** Where data forwarding sends each event: one entry per receiver, each with its own signing key. */
export const forwardToSchema = receiverList(z.strictObject({ name: receiverNameSchema, url: receiverUrlSchema }));
/** The mass-change guard's defaults: more than `threshold` runs that take access away within `windowMinutes` are held. */
export const MASS_CHANGE_DEFAULTS = { threshold: 10, windowMinutes: 60 } as const;

export const massChangeSchema = z.strictObject({
  threshold: z._default(z.number().check(z.int(), z.gte(1), z.lte(100_000)), MASS_CHANGE_DEFAULTS.threshold),
  windowMinutes: z._default(z.number().check(z.int(), z.gte(1), z.lte(10_080)), MASS_CHANGE_DEFAULTS.windowMinutes),
});

export const stageConfigSchema = z
  .strictObject({
    stage: z.enum(['local', 'dev', 'prod']),
    /** EventBridge cron expression of the sweep, without the cron() wrapper. */
    sweepCron: z.string().check(z.minLength(9)),
    dueShards: z.number().check(z.int(), z.gte(1), z.lte(64)),
    /** First retry delay; each further retry doubles it. */
    retryBaseSeconds: z.number().check(z.int(), z.gte(1), z.lte(900)),
    leaseSeconds: z.number().check(z.int(), z.gte(5), z.lte(900)),
    requeueAfterSeconds: z.number().check(z.int(), z.gte(30)),
    maxReceiveCount: z.literal(4),
    dispatcherTimeoutSeconds: z.number().check(z.int(), z.gte(5), z.lte(900)),
    actionTimeoutSeconds: z.number().check(z.int(), z.gte(3), z.lte(900)),
    /** Upper bound of concurrent dispatcher invocations from the lockout queue's event source (the lower classes get less: config/priority.ts). */
    dispatcherMaxConcurrency: z.number().check(z.int(), z.gte(MIN_DISPATCHER_MAX_CONCURRENCY), z.lte(1000)),
    forwardTo: z._default(forwardToSchema, []),
    apiThrottle: z.strictObject({ rateLimit: z.number().check(z.positive()), burstLimit: z.number().check(z.int(), z.positive()) }),
    logRetentionDays: z.number().check(z.int(), z.positive()),
    alertEmails: z._default(z.array(z.email()), []),
    google: z.strictObject({
      /** The Workspace admin the service account impersonates (domain-wide delegation). */
      adminSubject: z.email(),
      customerId: z._default(z.string().check(z.minLength(1)), 'my_customer'),
      /** What this stage allows itself against Google, shared by all its functions (docs/engine.md, the Google budget). */
      requestsPerMinute: z._default(z.number().check(z.int(), z.positive()), 1500),
    }),
    connect: z.strictObject({
      instanceId: z.string().check(z.minLength(1)),
      /**
       * What this stage allows itself per Connect API, requests a second, all its functions together (docs/engine.md,
       * "The Connect budget"); Connect's own default is 2 a second with a burst of 5 per API and account.
       */
      requestsPerSecond: z._default(z.int().check(z.positive(), z.lte(100)), 2),
    }),
    /**
     * Zendesk Support (docs/zendesk.md); absent: the Zendesk steps fail to an operator naming this setting. The API
     * token is in the stage's Zendesk secret on AWS (and a local default for npm start), never here.
     */
    zendesk: z.optional(
      z
        .strictObject({
          /** `acme` for https://acme.zendesk.com; or baseUrl. */
          subdomain: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be the account subdomain: lower-case letters, digits and dashes'))),
          baseUrl: z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
          /** The API user: an admin, the owner of the API token. */
          email: z.email(),
          /** The group a leaver's open tickets are handed to, unassigned: checked to exist when the leaver's step runs. */
          leaverTicketGroup: z.string().check(z.minLength(1)),
          /** What this stage allows itself a minute (Zendesk's own limit is per plan: 200 to 2500). */
          requestsPerMinute: z._default(z.int().check(z.positive(), z.lte(2500)), 200),
        })
        .check(z.refine((c) => Boolean(c.subdomain) !== Boolean(c.baseUrl), { message: 'name exactly one of subdomain and baseUrl', path: ['subdomain'] })),
    ),
    /**
     * Front (config/front.ts, docs/front.md); absent: the Front steps fail to an operator naming this setting. The
     * company API token is in the stage's Front secret on AWS (and a local default for npm start), never here.
     */
    front: z.optional(frontSchema),
    /**
     * Nextcloud (config/nextcloud.ts, docs/nextcloud.md); absent: the Nextcloud steps fail to an operator naming this
     * setting. The admin's app password is in the stage's Nextcloud secret on AWS (and a local default), never here.
     */
    nextcloud: z.optional(nextcloudSchema),
    /**
     * OpenProject (config/openproject.ts, docs/openproject.md): users, and the member tasks; absent: the OpenProject
     * steps fail to an operator naming this setting. The API token is in the stage's OpenProject secret on AWS.
     */
    openproject: z.optional(openProjectSchema),
    /** Consolidation of the connected systems' accounts with the records (config/consolidation.ts, docs/consolidation.md): daily by default. */
    consolidation: z._default(consolidationSchema, { ...DEFAULT_CONSOLIDATION }),
    /** The SCIM 2.0 apps a role may name (config/scim-apps.ts, docs/scim.md); none by default. */
    scimApps: z._default(scimAppsSchema, {}),
    /** The Notion data source (database) that holds the role catalog. */
    notion: z.strictObject({ rolesDataSourceId: z.string().check(z.minLength(1)) }),
    /** Days a mover keeps the access only the old role had, after the effective date. */
    moverGraceDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(365)), 7),
    /** Days before a non-urgent leaver's last day that the manager gets the leaver notice (a playbook step with `notice`); 0: none. */
    leaverNoticeDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(60)), DEFAULT_LEAVER_NOTICE_DAYS),
    /** The welcome email a joiner gets at their personal address: who sends it and how long its one-time link lives. */
    welcomeEmail: z.strictObject({
      /** A mailbox of the Workspace domain, impersonated with domain-wide delegation (scope gmail.send). */
      sender: z.email(),
      linkValidDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(30)), 7),
    }),
    /** Hires wait in awaiting_approval until an operator approves their plan (a role may ask for it too). */
    approveHires: z._default(z.boolean(), false),
    /** A rehire (the hire of an employee whose termination ran) waits for an operator's approval: it restores access. */
    approveRehires: z._default(z.boolean(), true),
    /** A hire whose personal email differs from the one on record waits for approval: the welcome link goes there. */
    approvePersonalEmailChanges: z._default(z.boolean(), true),
    /** Protected accounts and the adoption of accounts made before this system (see docs/accounts.md). */
    accounts: z._default(accountPolicySchema, DEFAULT_ACCOUNT_POLICY),
    /** Terminations and role changes that remove access, past `threshold` within `windowMinutes`, are quarantined. */
    massChange: z._default(massChangeSchema, { ...MASS_CHANGE_DEFAULTS }),
    /** Who gets a leaver's mailbox when their manager is already delegate of as many mailboxes as Google allows (config/mailbox-delegation.ts). */
    mailboxDelegation: z._default(mailboxDelegationSchema, { ...DEFAULT_MAILBOX_DELEGATION, overflowDelegates: [] }),
    /** How a leaver's mail is kept before suspension and deletion (config/mail-retention.ts); google.retainMail reads it. */
    mailRetention: z._default(mailRetentionSchema, { ...DEFAULT_MAIL_RETENTION }),
    /** To whom a leaver's sole-owner resources are handed before the cut-off: the manager, or a named owner (config/handover.ts). */
    handover: z._default(handoverSchema, { ...DEFAULT_HANDOVER }),
    /** Jira Cloud as an intake of hires (POST /v1/intake/jira) and the ticket the run reports on (config/jira.ts); optional. */
    jira: z.optional(jiraSchema),
    /** Accounts unused for `days` get a revoke run of that system, with a notice first (config/inactivity.ts, docs/inactivity.md); off by default. */
    inactivity: z._default(inactivitySchema, { ...DEFAULT_INACTIVITY }),
    /** The Matrix bot that proposes hires from chat (`!on`) and reports on them (config/matrix.ts, docs/matrix.md); optional. */
    matrix: z.optional(matrixSchema),
    /** Which playbook set (config/playbooks.ts) this stage runs. */
    playbookSet: z._default(z.string().check(z.minLength(1)), 'default'),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (c.leaseSeconds < c.actionTimeoutSeconds) {
        ctx.addIssue({ code: 'custom', path: ['leaseSeconds'], message: 'must be at least actionTimeoutSeconds' });
      }
      // Below this, the dispatcher would hand back every record for lack of time and never run one.
      const worstCase = worstCaseDispatchSeconds(c.actionTimeoutSeconds);
      if (c.dispatcherTimeoutSeconds < worstCase) {
        ctx.addIssue({
          code: 'custom',
          path: ['dispatcherTimeoutSeconds'],
          message: `must be at least actionTimeoutSeconds + ${worstCase - c.actionTimeoutSeconds} (${worstCase}): a cold start of the action and recording its answer`,
        });
      }
    }),
  );

export type StageConfig = z.infer<typeof stageConfigSchema>;
export type Playbooks = z.infer<typeof playbooksSchema>;
export type PlaybookStep = z.infer<typeof playbookStepSchema>;
export type MassChangeSettings = z.infer<typeof massChangeSchema>;
export type StageName = StageConfig['stage'];
