/** The mail settings of a Lambda, from its environment: no AWS client is loaded for them. */
import { DEFAULT_LINK_VALID_DAYS, type WelcomeEmailSettings } from '../credentials/vault';
import { ENV, requireEnv } from '../shared/env-names';

export function welcomeEmailFromEnv(): () => WelcomeEmailSettings {
  return () => {
    const days = Number(process.env[ENV.welcomeLinkValidDays] || DEFAULT_LINK_VALID_DAYS);
    if (!Number.isInteger(days) || days < 1) throw new Error(`${ENV.welcomeLinkValidDays} must be a whole number of days`);
    return { sender: requireEnv(ENV.welcomeSender), linkValidDays: days, publicApiUrl: () => requireEnv(ENV.publicApiUrl) };
  };
}

/** The operators' addresses the stage lists (none is allowed: the summary then goes to the manager only). */
export function operatorEmailsFromEnv(): () => string[] {
  return () => (process.env[ENV.operatorEmails] ?? '').split(',').map((a) => a.trim()).filter(Boolean);
}
