/** The playbooks, validated: for each event type, the steps a run is planned from. */
import { readFileSync } from 'node:fs';
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

/** Reads and validates a playbooks file, naming the file and the failing path. */
export function loadPlaybooksFile(path: string): Playbooks {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read playbooks from ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parsePlaybooks(data);
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
