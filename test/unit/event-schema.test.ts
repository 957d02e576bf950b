import { canonicalJson, effectiveDateBounds, parseLifecycleEvent as parseAt } from '../../lambdas/engine/event-schema';
import { hrBody } from '../support/builders';

/** The server's date in these cases: the HR example (2026-11-30) is a week ahead. */
const NOW = new Date('2026-11-23T10:00:00Z');
const parseLifecycleEvent = (body: unknown, now = NOW) => parseAt(body, now);

const issuesOf = (body: unknown, now = NOW) => {
  const parsed = parseLifecycleEvent(body, now);
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

  describe('effective date window', () => {
    it('accepts from one year back to two years ahead of the server date, and names the window when outside', () => {
      expect(effectiveDateBounds(NOW)).toEqual({ earliest: '2025-11-23', latest: '2028-11-22' });
      for (const date of ['2025-11-23', '2026-11-23', '2028-11-22']) expect(parseLifecycleEvent(hrBody({ effectiveDate: date })).ok).toBe(true);
      expect(issuesOf(hrBody({ effectiveDate: '2028-11-23' }))).toEqual([
        { path: 'effectiveDate', message: 'must be between 2025-11-23 and 2028-11-22 (at most 365 days back and 730 days ahead of 2026-11-23)' },
      ]);
    });

    it.each([
      ['a terminate', 'terminate', '9999-12-31'],
      ['a hire', 'hire', '9999-12-31'],
      ['a role change', 'role_change', '9999-12-31'],
      ['a terminate', 'terminate', '2025-11-22'],
      ['a hire', 'hire', '0001-01-01'],
    ])('rejects %s (%s) effective %s, naming effectiveDate', (_what, type, effectiveDate) => {
      expect(issuesOf(hrBody({ type, effectiveDate })).map((i) => i.path)).toEqual(['effectiveDate']);
    });

    it('checks a cancel that carries a date too', () => {
      expect(issuesOf({ eventId: 'hr-7782', type: 'cancel', cancels: 'hr-7781', effectiveDate: '9999-12-31' }).map((i) => i.path)).toEqual(['effectiveDate']);
    });

    it('moves with the server date it is given', () => {
      const body = hrBody({ effectiveDate: '2029-01-10' });
      expect(parseLifecycleEvent(body).ok).toBe(false);
      expect(parseLifecycleEvent(body, new Date('2028-01-10T00:00:00Z')).ok).toBe(true);
    });
  });

  describe('control characters in free text', () => {
    it.each([
      ['NUL', 'A\u0000da'],
      ['LF', 'Ada\nLovelace'],
      ['CR at the end', 'Ada\r'],
      ['a tab at the start', '\tAda'],
      ['an ANSI escape', '\u001b[31mAda'],
      ['DEL', 'Ada\u007f'],
      ['a C1 CSI', 'Ada\u009b2J'],
      ['a line separator', 'Ada\u2028'],
      ['a paragraph separator', 'Ada\u2029'],
      ['a right-to-left override', '\u202eadA'],
      ['a first-strong isolate', 'Ada\u2068'],
    ])('reject %s in firstName, lastName and role, naming each field and the character', (_what, text) => {
      const body = hrBody();
      const issues = issuesOf({ ...body, employee: { ...body.employee, firstName: text, lastName: text, role: text } });
      expect(issues.map((i) => i.path)).toEqual(['employee.firstName', 'employee.lastName', 'employee.role']);
      expect(issues[0].message).toMatch(/^must not contain control characters \(U\+[0-9A-F]{4} at position \d+\)$/);
    });

    it('names the character a reader cannot see', () => {
      const body = hrBody();
      expect(issuesOf({ ...body, employee: { ...body.employee, lastName: 'Love\u001blace' } })).toEqual([
        { path: 'employee.lastName', message: 'must not contain control characters (U+001B at position 5)' },
      ]);
    });

    it('accepts names in any script, with accents, apostrophes, hyphens and inner spaces', () => {
      const body = hrBody();
      for (const [firstName, lastName] of [['Jürgen', "O'Neil-Müller"], ['Zoë', 'van der Berg'], ['محمد', 'العلي'], ['李', '小龍'], ['Øyvind', 'Ødegård']]) {
        expect(parseLifecycleEvent({ ...body, employee: { ...body.employee, firstName, lastName } }).ok).toBe(true);
      }
    });
  });
});
