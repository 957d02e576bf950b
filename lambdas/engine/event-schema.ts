/** The HR event contract, validated with zod: every rejected field is named with its path. */
import * as z from '../shared/zod';
import { EVENT_TYPES, type LifecycleEvent } from './model';
import { isValidIsoDate, isValidTimeZone } from './time';

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

const name = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100, 'must be at most 100 characters'));

export const employeeSchema = z.strictObject({
  id: id('employee.id'),
  firstName: name,
  lastName: z.optional(name),
  email: z.optional(z.email('must be an email address')),
  personalEmail: z.optional(z.email('must be an email address')),
  managerEmail: z.optional(z.email('must be an email address')),
  role: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  timezone: z
    .string({ error: 'an IANA time zone is required' })
    .check(z.refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' })),
});

export const lifecycleEventSchema = z
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

export interface FieldIssue {
  path: string;
  message: string;
}

export type ParsedEvent =
  | { ok: true; event: LifecycleEvent; canonical: string }
  | { ok: false; issues: FieldIssue[] };

/** Validates an HR event body; on success also answers its canonical form for replay detection. */
export function parseLifecycleEvent(body: unknown): ParsedEvent {
  const parsed = lifecycleEventSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })),
    };
  }
  const e = parsed.data;
  const event: LifecycleEvent =
    e.type === 'cancel'
      ? { eventId: e.eventId, type: 'cancel', cancels: e.cancels!, effectiveDate: e.effectiveDate, employee: e.employee }
      : { eventId: e.eventId, type: e.type, effectiveDate: e.effectiveDate!, urgent: e.urgent, employee: e.employee! };
  return { ok: true, event, canonical: canonicalJson(parsed.data) };
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
