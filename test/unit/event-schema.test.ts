import { canonicalJson, parseLifecycleEvent } from '../../lambdas/engine/event-schema';
import { hrBody } from '../support/builders';

const issuesOf = (body: unknown) => {
  const parsed = parseLifecycleEvent(body);
  if (parsed.ok) throw new Error('expected the body to be rejected');
  return parsed.issues;
};

describe('parseLifecycleEvent', () => {
  it('accepts the HR example', () => {
    const parsed = parseLifecycleEvent(hrBody());
    expect(parsed.ok && parsed.event).toMatchObject({ eventId: 'hr-7781', type: 'terminate', urgent: false, employee: { id: 'E100' } });
  });

  it.each([
    ['an unknown type', { type: 'fire' }, 'type'],
    ['an impossible date', { effectiveDate: '2026-02-30' }, 'effectiveDate'],
    ['a date in another format', { effectiveDate: '30.11.2026' }, 'effectiveDate'],
    ['a missing event id', { eventId: undefined }, 'eventId'],
    ['an event id with spaces', { eventId: 'hr 1' }, 'eventId'],
    ['urgent on a hire', { type: 'hire', urgent: true }, 'urgent'],
    ['a non-boolean urgent', { urgent: 'yes' }, 'urgent'],
    ['a cancel without cancels', { type: 'cancel' }, 'cancels'],
    ['cancels on a terminate', { cancels: 'hr-1' }, 'cancels'],
    ['an unknown field', { extra: 1 }, '(body)'],
    ['a missing employee', { employee: undefined }, 'employee'],
  ])('rejects %s, naming the field', (_what, override, path) => {
    expect(issuesOf(hrBody(override)).map((i) => i.path)).toContain(path);
  });

  it.each([
    ['email', 'not-an-email'],
    ['personalEmail', 'ada@'],
    ['managerEmail', 'grace'],
    ['timezone', 'Mars/Base'],
    ['firstName', ''],
    ['id', ''],
  ])('rejects a bad employee.%s', (field, value) => {
    const body = hrBody();
    const issues = issuesOf({ ...body, employee: { ...body.employee, [field]: value } });
    expect(issues.map((i) => i.path)).toContain(`employee.${field}`);
  });

  it('reports every bad field at once', () => {
    const body = hrBody({ type: 'fire', effectiveDate: '2026-02-30' });
    expect(issuesOf({ ...body, employee: { ...body.employee, email: 'x' } }).map((i) => i.path)).toEqual(['type', 'effectiveDate', 'employee.email']);
  });

  it('accepts a cancel naming the event it cancels, without an employee', () => {
    const parsed = parseLifecycleEvent({ eventId: 'hr-7782', type: 'cancel', cancels: 'hr-7781' });
    expect(parsed.ok && parsed.event).toEqual({ eventId: 'hr-7782', type: 'cancel', cancels: 'hr-7781', effectiveDate: undefined, employee: undefined });
  });

  it('gives the same canonical form for another key order and spacing', () => {
    const a = parseLifecycleEvent(hrBody());
    const { employee, ...rest } = hrBody();
    const b = parseLifecycleEvent(JSON.parse(JSON.stringify({ employee, ...rest }, null, 2)));
    expect(a.ok && b.ok && a.canonical === b.canonical).toBe(true);
    const c = parseLifecycleEvent(hrBody({ effectiveDate: '2026-12-01' }));
    expect(a.ok && c.ok && a.canonical !== c.canonical).toBe(true);
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});
