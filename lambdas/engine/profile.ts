/** The employee profile kept between events, and the form addresses are kept in. Pure. */
import type { Employee } from './model';

/** The address fields of an employee. */
const ADDRESS_FIELDS = ['email', 'personalEmail', 'managerEmail'] as const;

/**
 * An address as HR gave it, with its domain lower-cased: domains are case-insensitive, while a local
 * part may not be (most providers ignore its case, but some do not), so it is kept as given.
 */
export function normalizeAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/** The employee with every address in its kept form. */
export function normalizeEmployee(employee: Employee): Employee {
  const next = { ...employee };
  for (const field of ADDRESS_FIELDS) {
    const value = next[field];
    if (value !== undefined) next[field] = normalizeAddress(value);
  }
  return next;
}

/**
 * The profile after an event: every field the event names replaces the one on record; a field the event
 * leaves out keeps its value (a leaver's event without the role or the personal email drops neither).
 */
export function mergeProfile(onRecord: Employee | undefined, fromEvent: Employee): Employee {
  if (!onRecord) return fromEvent;
  const named = Object.fromEntries(Object.entries(fromEvent).filter(([, v]) => v !== undefined)) as Partial<Employee>;
  return { ...onRecord, ...named };
}
