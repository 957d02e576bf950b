/**
 * The stage's optional `jira` setting: which Jira Cloud tickets become events (docs/jira.md). A ticket of the project
 * and issue type (and, for Jira Service Management, the request type) whose status moves to `startStatus` is a hire;
 * `fields` says where in the ticket each field of the event is read from. Validated at synth and at start.
 */
import * as z from './zod';

/**
 * Where a value is read from in a ticket: a system field by its id (`summary`, `duedate`, `assignee`, …), a custom
 * field by its id (`customfield_10050`), or a labelled line of the description (`description:Personal email` reads
 * the text after `Personal email:` on its own line).
 */
export const JIRA_FIELD_SOURCE = /^(customfield_\d{1,10}|[a-z][A-Za-z0-9]{0,40}|description:[^:\n]{1,60})$/;

const fieldSource = z.string().check(z.regex(JIRA_FIELD_SOURCE, 'must be a Jira field id (summary, duedate, customfield_10050) or description:<label>'));

/** The event's fields a ticket can fill, named as the HR event names them. */
export const JIRA_EVENT_FIELDS = [
  'employee.id',
  'employee.firstName',
  'employee.lastName',
  'employee.email',
  'employee.personalEmail',
  'employee.managerEmail',
  'employee.role',
  'employee.timezone',
  'effectiveDate',
] as const;
export type JiraEventField = (typeof JIRA_EVENT_FIELDS)[number];

/** A workflow status by its name as Jira shows it (`Done`). */
const statusName = z.string().check(z.minLength(1, 'must be a status name such as Done'), z.maxLength(255));

const REQUIRED_FIELDS = ['employee.id', 'employee.firstName', 'effectiveDate'] as const satisfies readonly JiraEventField[];

export const jiraSchema = z
  .strictObject({
    /** The site, `https://<site>.atlassian.net`: where the write-back calls REST v3. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be the site URL, https://<site>.atlassian.net' }),
    /** The project whose tickets are read, by key. */
    projectKey: z.string().check(z.regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'must be a Jira project key such as HR')),
    /** The issue type of a request, by name (`New hire`). */
    issueType: z.string().check(z.minLength(1), z.maxLength(255)),
    /** Jira Service Management only: the request type by name, read from the field that holds it (Customer Request Type). */
    requestType: z.optional(z.strictObject({ field: z.string().check(z.regex(/^customfield_\d{1,10}$/, 'must be a custom field id such as customfield_10010')), name: z.string().check(z.minLength(1), z.maxLength(255)) })),
    /** The status a ticket is moved to when it is ready: the move starts the run (`Ready for IT`). */
    startStatus: z.string().check(z.minLength(1), z.maxLength(255)),
    /** Event field → where it is read from in the ticket. employee.id, employee.firstName and effectiveDate are required. */
    fields: z.partialRecord(z.enum(JIRA_EVENT_FIELDS, { error: `must be one of ${JIRA_EVENT_FIELDS.join(', ')}` }), fieldSource),
    /** The time zone of a ticket that names none (no employee.timezone mapping, or its field left empty). */
    defaultTimezone: z.optional(z.string().check(z.minLength(1))),
    /** The Atlassian account whose API token the write-back uses (Basic auth, email:token). */
    writeBackEmail: z.optional(z.email('must be the email of the Atlassian account that holds the API token')),
    /** Where the ticket is moved, by status name, when its run needs an operator or has ended; each optional (needs writeBackEmail). */
    transitions: z.optional(
      z.strictObject({
        completed: z.optional(statusName),
        cancelled: z.optional(statusName),
        needsAttention: z.optional(statusName),
      }),
    ),
    /** The project is a Jira Service Management desk: the run's comment is internal (agents only), not shown to the customer. */
    serviceDesk: z.optional(z.boolean({ error: 'must be true or false' })),
  })
  .check(
    z.superRefine((c, ctx) => {
      for (const field of REQUIRED_FIELDS) {
        if (!c.fields[field]) ctx.addIssue({ code: 'custom', path: ['fields', field], message: 'is required: every event needs it' });
      }
      if (c.transitions && !c.writeBackEmail) ctx.addIssue({ code: 'custom', path: ['transitions'], message: 'needs writeBackEmail: the ticket is moved by the write-back account' });
      // A move to the start status would start (or revise) the run again; waiting for HR must not be where the run ends.
      for (const [name, status] of Object.entries(c.transitions ?? {})) {
        if (status === c.startStatus) ctx.addIssue({ code: 'custom', path: ['transitions', name], message: `must not be the startStatus (${c.startStatus}): moving there is what starts a run` });
      }
      const waiting = c.transitions?.needsAttention;
      if (waiting && (waiting === c.transitions?.completed || waiting === c.transitions?.cancelled)) {
        ctx.addIssue({ code: 'custom', path: ['transitions', 'needsAttention'], message: `must differ from completed and cancelled (${waiting}): a run waiting for a change on the ticket has not ended` });
      }
      if (c.serviceDesk && !c.writeBackEmail) ctx.addIssue({ code: 'custom', path: ['serviceDesk'], message: 'needs writeBackEmail: only the write-back comments' });
      if (!c.fields['employee.timezone'] && !c.defaultTimezone) {
        ctx.addIssue({ code: 'custom', path: ['defaultTimezone'], message: 'is required when fields has no employee.timezone' });
      }
    }),
  );

export type JiraSettings = z.infer<typeof jiraSchema>;

/** Reads the setting a function was given (JSON in its environment), naming the field that is wrong; undefined when unset. */
export function parseJiraSettings(raw: string | undefined): JiraSettings | undefined {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('jira: not valid JSON');
  }
  const parsed = jiraSchema.safeParse(json);
  if (!parsed.success) throw new Error(`jira: ${parsed.error.issues.map((i) => `${['jira', ...i.path].join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
