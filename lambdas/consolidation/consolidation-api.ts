/** What the API needs of consolidation: the latest report, a run now, a finding's fix. One per platform (local, AWS). */
import type { ConsolidationReport } from './report';
import type { FixOutcome, FixRequest } from './fix';

export interface ConsolidationApi {
  latest(): Promise<ConsolidationReport | undefined>;
  /** Reads every system now: the report when it ran here, or `accepted` when it was handed to the consolidation function. */
  run(requestedBy: string): Promise<{ report: ConsolidationReport } | { accepted: true }>;
  /** `subject`: the operator token's stable subject, so the four-eyes check knows the sender whatever name they use. */
  fix(findingId: string, request: FixRequest, actor: string, subject?: string): Promise<FixOutcome>;
}
