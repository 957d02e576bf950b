/** The API's shapes the console reads (docs/api.md): the engine's own types, erased at build. */
import type { Run } from '../../../lambdas/engine/model';

export type { Alert, AuditEntry, Run, Step, StepError } from '../../../lambdas/engine/model';

export const personOf = (run: Pick<Run, 'employee' | 'employeeId'>) =>
  [run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ') || run.employee.email || run.employeeId;

/** An event or run type in words: `role_change` → `role change`. */
export const typeLabel = (type: string): string => type.replace(/_/g, ' ');
