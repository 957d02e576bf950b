/** A consolidation report: when it ran, what each system's read cost, and what it found. */
import type { Finding } from './compare';

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
