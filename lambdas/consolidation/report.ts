/** A consolidation report: when it ran, what each system's read cost, and what it found. */
import type { DirectoryAccount } from './directory';

export const FINDING_KINDS = ['unbound', 'leaver_active', 'missing', 'extra'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FIX_KINDS = ['bind', 'grant', 'remove'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/** A fix a finding offers: one call (`POST /v1/consolidation/findings/{id}/fix`) that goes through a normal run. */
export interface FixOption {
  fix: FixKind;
  description: string;
  /** For `bind`: the employee whose company address the account has, the likely owner (the call still names one). */
  suggestedEmployeeId?: string;
}

export interface Finding {
  /** Deterministic: the kind, the system, the account (or the employee, for a missing account) and what is wrong. */
  id: string;
  kind: FindingKind;
  system: string;
  /** The account as read; absent for a missing account. */
  account?: Pick<DirectoryAccount, 'accountId' | 'email' | 'active' | 'protected' | 'employeeId' | 'lastSignInAt'>;
  /** The employee the account is (or should be) theirs, when known. */
  employeeId?: string;
  /** What is wrong, in words. */
  message: string;
  /** For `missing` and `extra`: the access labels concerned (`googleGroups:sales@example.com`). */
  access?: string[];
  fixes: FixOption[];
}

/** One system's read: how long it took, how many calls and pages, and why it failed when it did. */
export interface SystemRead {
  system: string;
  ok: boolean;
  /** Milliseconds the read took. */
  ms: number;
  calls: number;
  pages: number;
  accounts: number;
  /** Why the read failed (the provider's words): its accounts are left out and no missing account is reported for it. */
  error?: string;
}

export interface ConsolidationReport {
  reportId: string;
  startedAt: string;
  finishedAt: string;
  /** Who asked: `schedule` or an operator. */
  requestedBy: string;
  systems: SystemRead[];
  /** Findings by kind. */
  counts: Record<string, number>;
  findings: Finding[];
}

/** The report as the API answers it (GET /v1/consolidation): with how long the whole read took. */
export interface ConsolidationReportView extends ConsolidationReport {
  durationMs: number;
}

/** What the store keeps of a report besides its findings. */
export type ReportHeader = Omit<ConsolidationReport, 'findings'> & { findingPages: number };

/** The reports kept: older ones are deleted when a new one is stored (the embedded store has no TTL). */
export const DEFAULT_REPORTS_KEPT = 10;
/** Findings a stored page holds: well under DynamoDB's 400 KB an item. */
export const FINDINGS_PER_PAGE = 200;

export interface ConsolidationStore {
  putReport(report: ConsolidationReport, keep: number): Promise<void>;
  latestReport(): Promise<ConsolidationReport | undefined>;
  /** The ids of every employee with a profile. */
  listEmployeeIds(): Promise<string[]>;
}
