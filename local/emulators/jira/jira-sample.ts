/**
 * The Jira emulator's sample site: the account the write-back signs in as (its API token the local default) and the
 * HR project's New hire tickets, their fields where the local stage's `jira.fields` reads them (config/stages.ts).
 */
import { LOCAL_DEFAULTS } from '../../../config/local-defaults';
import type { EmulatedIssue, JiraEmulator } from './jira-emulator';

export const SAMPLE_JIRA = {
  projectKey: 'HR',
  issueType: { id: '10100', name: 'New hire', subtask: false },
  account: { email: 'lifecycle@example.com', apiToken: LOCAL_DEFAULTS.jiraApiToken, accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Account lifecycle' },
} as const;

/** A new-hire ticket's fields, by the sample mapping: who, when, and the role as a line of the description. */
export interface SampleHire {
  id: string;
  firstName: string;
  lastName?: string;
  personalEmail?: string;
  managerEmail?: string;
  startDate: string;
  role?: string;
}

/** A description in Atlassian Document Format, one paragraph a line. */
export function adfDoc(lines: string[]): unknown {
  return { type: 'doc', version: 1, content: lines.map((line) => ({ type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] })) };
}

export function sampleHireFields(hire: SampleHire): Record<string, unknown> {
  return {
    issuetype: SAMPLE_JIRA.issueType,
    summary: `New hire: ${hire.firstName} ${hire.lastName ?? ''}`.trim(),
    description: adfDoc(['Please prepare the accounts.', ...(hire.role ? [`Role: ${hire.role}`] : [])]),
    customfield_10050: hire.id,
    customfield_10051: hire.firstName,
    customfield_10052: hire.lastName ?? null,
    customfield_10053: hire.personalEmail ?? null,
    customfield_10054: hire.managerEmail ?? null,
    customfield_10055: hire.startDate,
  };
}

/** Where each SampleHire field is kept on the ticket (the sample mapping); the role is a line of the description. */
const SAMPLE_HIRE_FIELDS: Record<Exclude<keyof SampleHire, 'role'>, string> = {
  id: 'customfield_10050',
  firstName: 'customfield_10051',
  lastName: 'customfield_10052',
  personalEmail: 'customfield_10053',
  managerEmail: 'customfield_10054',
  startDate: 'customfield_10055',
};

/**
 * The ticket fields an edit by SampleHire names sets (`{"startDate":"2027-01-05"}`, `{"role":"…"}`), or Jira's own
 * field ids under `fields`; a key that is neither is an error naming it, and nothing is edited.
 */
export function sampleHireEdit(request: Record<string, unknown>): { fields: Record<string, unknown> } | { error: string } {
  const fields: Record<string, unknown> = {};
  const known = [...Object.keys(SAMPLE_HIRE_FIELDS), 'role', 'fields'];
  const unknown = Object.keys(request).filter((k) => !known.includes(k));
  if (unknown.length) return { error: `${unknown.join(', ')}: not a field of a hire; edit one of ${known.join(', ')}` };
  for (const [name, value] of Object.entries(request)) {
    if (name === 'fields') {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'fields: must be an object of Jira field ids' };
      Object.assign(fields, value);
    } else if (typeof value !== 'string' && value !== null) {
      return { error: `${name}: must be a string (or null to empty it)` };
    } else if (name === 'role') {
      fields.description = adfDoc(['Please prepare the accounts.', ...(value ? [`Role: ${value}`] : [])]);
    } else {
      fields[SAMPLE_HIRE_FIELDS[name as keyof typeof SAMPLE_HIRE_FIELDS]] = value;
    }
  }
  if (!Object.keys(fields).length) return { error: `nothing to edit: name one of ${known.join(', ')}` };
  return { fields };
}

export function seedJiraSample(jira: JiraEmulator): JiraEmulator {
  jira.addAccount({ ...SAMPLE_JIRA.account });
  return jira;
}

/** Opens a New hire ticket in the sample project (in status Open). */
export function openHireTicket(jira: JiraEmulator, hire: SampleHire): EmulatedIssue {
  return jira.createIssue(SAMPLE_JIRA.projectKey, sampleHireFields(hire));
}
