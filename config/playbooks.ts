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

/**
 * The playbook sets a stage may name (`playbookSet` in config/stages.ts). Bundled with the code,
 * so each is validated at synth and at start; add a set here to give a stage its own.
 */
export const PLAYBOOK_SETS: Record<string, Playbooks> = { default: playbooks };

export function playbooksForSet(name: string): Playbooks {
  const set = PLAYBOOK_SETS[name];
  if (!set) throw new Error(`unknown playbook set "${name}": expected one of ${Object.keys(PLAYBOOK_SETS).join(', ')}`);
  return set;
}

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
