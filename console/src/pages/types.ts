/** The API's shapes the console reads (docs/api.md). */
export interface StepError {
  message: string;
  providerAnswer?: string;
  retryable?: boolean;
}

export interface Step {
  stepId: string;
  action: string;
  status: string;
  dueAt: string;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  note?: string;
  lastError?: StepError;
  result?: Record<string, unknown>;
  priority?: string;
  alertId?: string;
}

export interface Run {
  runId: string;
  employeeId: string;
  type: string;
  status: string;
  effectiveDate: string;
  urgent?: boolean;
  createdAt: string;
  updatedAt: string;
  employee: { id: string; firstName?: string; lastName?: string; email?: string; managerEmail?: string; role?: string };
  steps: Step[];
  approval?: { planHash: string; requiredBy?: string };
}

export interface Alert {
  alertId: string;
  raisedAt: string;
  employeeId: string;
  runId: string;
  stepId: string;
  action: string;
  attempts: number;
  providerAnswer: string;
  message: string;
  whatToDo: string;
  status: 'open' | 'resolved';
}

export interface AuditEntry {
  at: string;
  runId?: string;
  stepId?: string;
  actor: string;
  change: string;
  from?: string;
  to?: string;
}

export const personOf = (run: Pick<Run, 'employee' | 'employeeId'>) =>
  [run.employee.firstName, run.employee.lastName].filter(Boolean).join(' ') || run.employee.email || run.employeeId;
