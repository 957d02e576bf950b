/** A stage whose dispatcher could never finish a step in time is refused when its settings are read. */
import { worstCaseDispatchSeconds } from '../../../config/dispatch-timing';
import { stageConfigSchema } from '../../../config/schema';
import { loadStageConfig } from '../../../config/stages';

const issuesOf = (overrides: Record<string, unknown>) => {
  const parsed = stageConfigSchema.safeParse({ ...loadStageConfig('dev'), ...overrides });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the dispatcher timeout', () => {
  it('counts the action timeout, a cold start of its function and recording the answer', () => {
    expect(worstCaseDispatchSeconds(30)).toBe(45);
  });

  it('is refused below that worst case, naming the field and the figure', () => {
    expect(issuesOf({ dispatcherTimeoutSeconds: 40, actionTimeoutSeconds: 30 })).toEqual([
      'dispatcherTimeoutSeconds: must be at least actionTimeoutSeconds + 15 (45): a cold start of the action and recording its answer',
    ]);
  });

  it.each(['local', 'dev', 'prod'])('leaves room for it in the committed %s settings', (stage) => {
    const config = loadStageConfig(stage);
    expect(config.dispatcherTimeoutSeconds).toBeGreaterThanOrEqual(worstCaseDispatchSeconds(config.actionTimeoutSeconds));
  });
});
