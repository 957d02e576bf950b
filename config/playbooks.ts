/** The playbooks, validated: for each event type, the steps a run is planned from. */
import { readFileSync } from 'node:fs';
import defaultPlaybooks from './playbooks/default.json';
import { playbooksSchema, type Playbooks } from './schema';
import type { MailRetention } from './mail-retention';

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

/**
 * Refuses a stage whose leavers' mail is kept by a Vault hold while its terminate playbook deletes the account: Google
 * deletes a deleted user's data, held by Vault or not (support.google.com/vault/answer/2736622), so the deletion would
 * end the retention. Names both fields; `none` and `archived-user-license` are allowed.
 */
export function checkDeletionKeepsMail(playbooks: Playbooks, mailRetention: MailRetention, stage: string): void {
  if (mailRetention.method !== 'vault-hold') return;
  const deletes = playbooks.terminate.steps.filter((s) => s.action === 'google.deleteUser' && s.enabled);
  if (!deletes.length) return;
  throw new Error(
    `stage ${stage}: mailRetention.method is vault-hold, and the terminate playbook's step ${deletes.map((s) => s.id).join(', ')} (google.deleteUser) is enabled: ` +
      `deleting a Google account deletes its mail, Vault hold or not, and Google refuses to delete an account on hold. Set mailRetention.method to ` +
      `archived-user-license (the mail is kept until the deletion: its offsetDays is how long), or turn the step off (enabled: false)`,
  );
}
