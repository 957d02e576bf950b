/** The HR event contract, validated with zod: every rejected field is named with its path. */
import * as z from '../shared/zod';
import { EVENT_TYPES, type LifecycleEvent } from './model';
import { addDays, isValidIsoDate, isValidTimeZone } from './time';
import { controlCharProblem } from '../shared/control-chars';
import { normalizeEmployee } from './profile';

/**
 * How far an effective date may lie from the server's date. HR systems send hires weeks to months ahead and
 * late terminations days to weeks behind; beyond this a date is a typo (9999-12-31, 2062 for 2026), and far
 * enough out it overflows the planner's date arithmetic.
 */
export const EFFECTIVE_DATE_WINDOW = { daysAhead: 730, daysBack: 365 } as const;

/**
 * The event ids a person may send through the operator route: the console's own (`console-…`) and the CSV import's
 * (`import-…`, the same ids the CLI's import signs as HR, so a file sent both ways is one event). HR's ids are others.
 */
export const CONSOLE_EVENT_ID_PREFIX = 'console-';
export const IMPORT_EVENT_ID_PREFIX = 'import-';
export const OPERATOR_EVENT_ID_PREFIXES = [CONSOLE_EVENT_ID_PREFIX, IMPORT_EVENT_ID_PREFIX] as const;

/** The first and last effective dates accepted on a given day (UTC). */
export function effectiveDateBounds(now: Date): { earliest: string; latest: string } {
  const today = now.toISOString().slice(0, 10);
  return { earliest: addDays(today, -EFFECTIVE_DATE_WINDOW.daysBack), latest: addDays(today, EFFECTIVE_DATE_WINDOW.daysAhead) };
}

const id = (what: string) =>
  z
    .string({ error: `${what} is required and must be a string` })
    .check(
      z.minLength(1, `${what} must not be empty`),
      z.maxLength(128, `${what} must be at most 128 characters`),
      z.regex(/^[A-Za-z0-9._:@-]+$/, `${what} may hold only letters, digits and . _ : @ -`),
    );

const isoDate = z
  .string({ error: 'a date YYYY-MM-DD is required' })
  .check(z.refine(isValidIsoDate, { message: 'must be a real calendar date written YYYY-MM-DD' }));

/** Free text that reaches mail, terminals and provider accounts: no control character, checked before trimming eats one at an end. */
const noControlChars = z.refine<string>((value) => controlCharProblem(value) === undefined, {
  error: (issue) => controlCharProblem(String(issue.input)) ?? 'must not contain control characters',
});

const name = z.string().check(noControlChars, z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100, 'must be at most 100 characters'));

export const employeeSchema = z.strictObject({
  id: id('employee.id'),
  firstName: name,
  lastName: z.optional(name),
  email: z.optional(z.email('must be an email address')),
  personalEmail: z.optional(z.email('must be an email address')),
  managerEmail: z.optional(z.email('must be an email address')),
  role: z.optional(z.string().check(noControlChars, z.minLength(1), z.maxLength(100))),
  timezone: z
    .string({ error: 'an IANA time zone is required' })
    .check(z.refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' })),
});

const eventFields = z
  .strictObject({
    eventId: id('eventId'),
    type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }),
    effectiveDate: z.optional(isoDate),
    urgent: z._default(z.boolean(), false),
    cancels: z.optional(id('cancels')),
    employee: z.optional(employeeSchema),
  })
  .check(
    z.superRefine((e, ctx) => {
      if (e.type === 'cancel') {
        if (!e.cancels) ctx.addIssue({ code: 'custom', path: ['cancels'], message: 'a cancel event must name the eventId it cancels' });
        if (e.cancels === e.eventId) ctx.addIssue({ code: 'custom', path: ['cancels'], message: 'an event cannot cancel itself' });
      } else {
        if (e.cancels) ctx.addIssue({ code: 'custom', path: ['cancels'], message: 'only a cancel event names an event to cancel' });
        if (!e.effectiveDate) ctx.addIssue({ code: 'custom', path: ['effectiveDate'], message: 'is required' });
        if (!e.employee) ctx.addIssue({ code: 'custom', path: ['employee'], message: 'is required' });
      }
      if (e.urgent && e.type !== 'terminate') {
        ctx.addIssue({ code: 'custom', path: ['urgent'], message: 'only a terminate event can be urgent' });
      }
    }),
  );

/** The event schema for a server date; built once per day, as the accepted date window moves with it. */
function schemaFor(now: Date) {
  const { earliest, latest } = effectiveDateBounds(now);
  if (cached?.earliest !== earliest) {
    cached = {
      earliest,
      schema: eventFields.check(
        z.superRefine((e, ctx) => {
          // ISO dates compare as strings.
          if (e.effectiveDate !== undefined && isValidIsoDate(e.effectiveDate) && (e.effectiveDate < earliest || e.effectiveDate > latest)) {
            ctx.addIssue({
              code: 'custom',
              path: ['effectiveDate'],
              message: `must be between ${earliest} and ${latest} (at most ${EFFECTIVE_DATE_WINDOW.daysBack} days back and ${EFFECTIVE_DATE_WINDOW.daysAhead} days ahead of ${now.toISOString().slice(0, 10)})`,
            });
          }
        }),
      ),
    };
  }
  return cached.schema;
}
let cached: { earliest: string; schema: typeof eventFields } | undefined;

export interface FieldIssue {
  path: string;
  message: string;
}

export type ParsedEvent =
  | { ok: true; event: LifecycleEvent; canonical: string }
  | { ok: false; issues: FieldIssue[] };

/**
 * Validates an HR event body against the server's date `now` (the engine's clock, so a test that drives the clock
 * moves the window too); on success also answers its canonical form for replay detection.
 */
export function parseLifecycleEvent(body: unknown, now: Date): ParsedEvent {
  const parsed = schemaFor(now).safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
    return { ok: false, issues: [...issues, ...missingWithoutType(body, issues)] };
  }
  const e = parsed.data;
  // Addresses are kept with their domain lower-cased; the canonical form (the replay check) stays the body as sent.
  const employee = e.employee && normalizeEmployee(e.employee);
  const event: LifecycleEvent =
    e.type === 'cancel'
      ? { eventId: e.eventId, type: 'cancel', cancels: e.cancels!, effectiveDate: e.effectiveDate, employee }
      : { eventId: e.eventId, type: e.type, effectiveDate: e.effectiveDate!, urgent: e.urgent, employee: employee! };
  return { ok: true, event, canonical: canonicalJson(parsed.data) };
}

/**
 * The fields every type but a cancel requires, named when the type itself is missing or unknown (the
 * type's own checks do not run then): the sender learns of every missing field at once. A body naming
 * `cancels` is taken for a cancel, which needs neither.
 */
function missingWithoutType(body: unknown, issues: FieldIssue[]): FieldIssue[] {
  if (!issues.some((i) => i.path === 'type') || typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const fields = body as Record<string, unknown>;
  if (fields.cancels !== undefined) return [];
  return (['effectiveDate', 'employee'] as const)
    .filter((field) => fields[field] === undefined && !issues.some((i) => i.path === field))
    .map((field) => ({ path: field, message: 'is required' }));
}

/** JSON with sorted keys: the same event sent with other spacing or key order hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
