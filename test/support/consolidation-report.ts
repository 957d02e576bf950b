/** A consolidation report as a read of 10,000 Google accounts leaves it: the fixture the route and function tests share. */
import type { ConsolidationReport } from '../../lambdas/consolidation/report';

export const sampleReport = (counts: Partial<ConsolidationReport['counts']> = {}): ConsolidationReport => ({
  reportId: 'r1',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:04.500Z',
  requestedBy: 'schedule',
  systems: [{ system: 'google', ok: true, ms: 4000, calls: 21, pages: 20, accounts: 10_000 }],
  counts: { unbound: 0, leaver_active: 0, missing: 0, extra: 0, ...counts },
  findings: [],
});
