/**
 * Finding an employee by id, name or company address: each profile write keeps a few search terms (lower case,
 * accents dropped), and a search is a prefix match on them. One place for the terms, so what is written and what
 * is asked are normalized alike.
 */
import type { Employee } from './model';
import type { EngineDeps } from './ports';

export const EMPLOYEE_SEARCH = { minLength: 2, maxLength: 100, defaultLimit: 20, maxLimit: 50 } as const;

/** Lower case, accents dropped, runs of white space as one space. */
export function normalizeTerm(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** What a search matches an employee on: the id, first name, last name, full name, and company address. */
export function searchTerms(employee: Employee): string[] {
  const full = [employee.firstName, employee.lastName].filter(Boolean).join(' ');
  const terms = [employee.id, employee.firstName, employee.lastName, full, employee.email].filter((t): t is string => Boolean(t)).map(normalizeTerm);
  return [...new Set(terms.filter((t) => t !== ''))];
}

export const matchesSearch = (employee: Employee, query: string): boolean => {
  const q = normalizeTerm(query);
  return searchTerms(employee).some((t) => t.startsWith(q));
};

export interface EmployeeHit {
  id: string;
  firstName: string;
  lastName?: string;
  email?: string;
  role?: string;
}

/**
 * Employees whose id, name or address starts with the query, an exact id first. Each hit is checked against the
 * profile as it is now (a renamed employee's old terms find nothing).
 */
export async function searchEmployees(deps: Pick<EngineDeps, 'store'>, query: string, limit: number): Promise<EmployeeHit[]> {
  const q = normalizeTerm(query);
  const [exact, ids] = await Promise.all([deps.store.getEmployee(query.trim()), deps.store.searchEmployees(q, limit * 2)]);
  const profiles = await Promise.all(ids.filter((id) => id !== exact?.id).map((id) => deps.store.getEmployee(id)));
  const found = [exact, ...profiles].filter((e): e is Employee => e !== undefined && (e === exact || matchesSearch(e, q)));
  return found.slice(0, limit).map((e) => ({
    id: e.id,
    firstName: e.firstName,
    ...(e.lastName ? { lastName: e.lastName } : {}),
    ...(e.email ? { email: e.email } : {}),
    ...(e.role ? { role: e.role } : {}),
  }));
}
