/** The playbooks, validated: for each event type, the steps a run is planned from. */
import defaultPlaybooks from './playbooks/default.json';
import { playbooksSchema, type Playbooks } from './schema';

/** Validates playbook data, naming the failing path. */
export function parsePlaybooks(data: unknown): Playbooks {
  const parsed = playbooksSchema.safeParse(data);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`playbooks are invalid: ${detail}`);
  }
  return parsed.data;
}

export const playbooks: Playbooks = parsePlaybooks(defaultPlaybooks);
