/** The HR event contract, validated with zod: every rejected field is named with its path. */
import { z } from 'zod';
import { EVENT_TYPES, type LifecycleEvent } from './model';
import { isValidIsoDate, isValidTimeZone } from './time';

const id = (what: string) =>
  z
    .string({ error: `${what} is required and must be a string` })
    .min(1, `${what} must not be empty`)
    .max(128, `${what} must be at most 128 characters`)
    .regex(/^[A-Za-z0-9._:@-]+$/, `${what} may hold only letters, digits and . _ : @ -`);

const isoDate = z
  .string({ error: 'a date YYYY-MM-DD is required' })
  .refine(isValidIsoDate, { message: 'must be a real calendar date written YYYY-MM-DD' });

const name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const employeeSchema = z
  .object({
    id: id('employee.id'),
    firstName: name,
    lastName: name.optional(),
    email: z.email('must be an email address').optional(),
    personalEmail: z.email('must be an email address').optional(),
    managerEmail: z.email('must be an email address').optional(),
    role: z.string().min(1).max(100).optional(),
    timezone: z.string({ error: 'an IANA time zone is required' }).refine(isValidTimeZone, {
      message: 'must be an IANA time zone such as Europe/Berlin',
    }),
  })
  .strict();

export const lifecycleEventSchema = z
  .object({
    eventId: id('eventId'),
    type: z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }),
    effectiveDate: isoDate.optional(),
    urgent: z.boolean().default(false),
    cancels: id('cancels').optional(),
    employee: employeeSchema.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
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
  });

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
