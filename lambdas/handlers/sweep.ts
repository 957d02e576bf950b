/** EventBridge entry: the nightly sweep of the due index. */
import { awsEngineDeps } from '../adapters/aws/aws-engine-deps';
import type { EngineDeps } from '../engine/ports';
import { sweep, type SweepReport } from '../engine/sweep';
import { withObservability } from './middleware';

export function createSweepHandler(deps: () => EngineDeps) {
  return withObservability(async (): Promise<SweepReport> => sweep(deps()));
}

export const handler = createSweepHandler(awsEngineDeps);
