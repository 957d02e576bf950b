/** A stage's config with one setting replaced, parsed as a deploy parses it: for the tests of that setting. */
import { stageConfigSchema, type StageConfig } from '../../config/schema';
import { loadStageConfig } from '../../config/stages';

export function stageSetting(stage: string, key: keyof StageConfig) {
  const parse = (value: unknown) => stageConfigSchema.safeParse({ ...loadStageConfig(stage), [key]: value });
  /** What the parse refuses, one `path: message` per problem; none when it passes. */
  const problems = (value: unknown): string[] => {
    const parsed = parse(value);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  return { parse, problems };
}
