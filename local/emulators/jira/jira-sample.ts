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

export function seedJiraSample(jira: JiraEmulator): JiraEmulator {
  jira.addAccount({ ...SAMPLE_JIRA.account });
  return jira;
}

/** Opens a New hire ticket in the sample project (in status Open). */
export function openHireTicket(jira: JiraEmulator, hire: SampleHire): EmulatedIssue {
  return jira.createIssue(SAMPLE_JIRA.projectKey, sampleHireFields(hire));
}
