/**
 * The stage's OpenProject settings (docs/openproject.md): the instance, the user custom field that binds a user to
 * an employee, what the stage allows itself a minute, and optionally the member tasks: the project and type a task
 * per proposed newcomer is made in, and the statuses of its workflow by name.
 */
import * as z from './zod';

const statusName = (field: string) => z.string().check(z.minLength(1, { error: `openproject.memberTasks.statuses.${field} must name a status` }), z.maxLength(255));

/** The member task workflow's statuses, by the names OpenProject shows (docs/openproject.md#member-tasks). */
export const memberTaskStatusesSchema = z.strictObject({
  /** Where a task starts and goes back to on a failure: no comment is written while a task is in it. */
  inSpecification: z._default(statusName('inSpecification'), 'In specification'),
  /** Set by a person: the specification is approved, the accounts are made. */
  scheduled: z._default(statusName('scheduled'), 'scheduled'),
  /** Set when the run starts. */
  inProgress: z._default(statusName('inProgress'), 'in progress'),
});

/** The member task poll's schedule: every 1 to 60 minutes (an EventBridge rate on AWS, a timer locally). */
export const memberTaskPollSchema = z.strictObject({
  everyMinutes: z.int({ error: 'openproject.memberTasks.poll.everyMinutes must be a whole number of minutes' }).check(
    z.gte(1, { error: 'openproject.memberTasks.poll.everyMinutes must be at least 1' }),
    z.lte(60, { error: 'openproject.memberTasks.poll.everyMinutes must be at most 60' }),
  ),
});
export type MemberTaskPollSettings = z.infer<typeof memberTaskPollSchema>;

export const memberTasksSchema = z.strictObject({
  /** The project the tasks are made in: its identifier (`community`) or numeric id. */
  project: z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, { error: 'openproject.memberTasks.project must be a project identifier (lower-case letters, digits, - and _) or its numeric id' })),
  /** The id of the work package type of a task (`Member task`), from /api/v3/types. */
  typeId: z.int().check(z.positive({ error: 'openproject.memberTasks.typeId must be the positive id of a work package type' })),
  statuses: z._default(memberTaskStatusesSchema, { inSpecification: 'In specification', scheduled: 'scheduled', inProgress: 'in progress' }),
  /**
   * The company mail domain a username chosen on a task is an address of (`<username>@<emailDomain>`), for a proposed
   * hire with no company address yet; absent: the task's Username can only be changed on a run that has one.
   */
  emailDomain: z.optional(z.string().check(z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, { error: 'openproject.memberTasks.emailDomain must be a mail domain such as example.com' }))),
  /**
   * For an OpenProject that cannot send webhooks: the tasks updated since the last poll are read every `everyMinutes`
   * and handled as a delivery would be (docs/openproject.md#polling-without-webhooks). Absent: off, the webhook drives.
   */
  poll: z.optional(memberTaskPollSchema),
});

export const openProjectSchema = z.strictObject({
  /** The instance's base URL, where /api/v3 is (`https://community.openproject.org`, or with a sub-path). */
  baseUrl: z.url({ protocol: /^https?$/, error: 'openproject.baseUrl must be an http(s) URL: the OpenProject instance, where /api/v3 is' }),
  /**
   * The user custom field (`customField<N>`, a text field for users, visible to admins only) that holds the employee
   * id: OpenProject users have no external id, so this field is what binds a user to an employee.
   */
  employeeIdField: z.string().check(z.regex(/^customField\d{1,9}$/, { error: 'openproject.employeeIdField must name a user custom field as the API does: customField<N>' })),
  /** What this stage allows itself a minute. OpenProject publishes no API limit; keep it below what the instance takes. */
  requestsPerMinute: z._default(z.int().check(z.positive({ error: 'openproject.requestsPerMinute must be a positive whole number' }), z.lte(6000, { error: 'openproject.requestsPerMinute must be at most 6000' })), 300),
  /** The member tasks (docs/openproject.md#member-tasks); absent: none are made. */
  memberTasks: z.optional(memberTasksSchema),
});
export type OpenProjectSettings = z.infer<typeof openProjectSchema>;
export type MemberTaskSettings = z.infer<typeof memberTasksSchema>;

/** The stage's openproject setting from a function's environment (JSON); undefined when unset, an error naming the field when bad. */
export function parseOpenProjectSettings(raw: string | undefined): OpenProjectSettings | undefined {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('openproject: not valid JSON');
  }
  const parsed = openProjectSchema.safeParse(json);
  if (!parsed.success) throw new Error(`openproject: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
