/**
 * The settings of a stage that still hold a placeholder (an id of zeros, an address at a reserved example domain, no
 * operator to alert): a stage deployed with one fails at its first real call, so synth refuses them.
 */
import type { StageConfig } from './schema';

export interface Placeholder {
  /** Where in the stage config, as `connect.instanceId` or `alertEmails`. */
  path: string;
  value: unknown;
  why: string;
}

/** RFC 2606 / RFC 6761: names reserved for documentation and tests, never a real company's mail or service. */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/i;

/** A UUID of zeros but for its version and variant digits and a last digit or two (`00000000-0000-4000-8000-000000000001`). */
export function isZeroId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) && id.replace(/[-0]/g, '').length <= 4;
}

export function isReservedDomain(host: string): boolean {
  return RESERVED_DOMAIN.test(host.toLowerCase());
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();
const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};

/** Every placeholder left in a stage's settings, in config order; empty when the stage may be deployed. */
export function placeholdersIn(config: StageConfig): Placeholder[] {
  const found: Placeholder[] = [];
  const address = (path: string, value: string, role: string) => {
    if (isReservedDomain(domainOf(value))) found.push({ path, value, why: `${role} is at ${domainOf(value)}, a domain reserved for examples` });
  };
  const zeroId = (path: string, value: string, what: string) => {
    if (isZeroId(value)) found.push({ path, value, why: `${what} is an id of zeros, not a real one` });
  };

  zeroId('connect.instanceId', config.connect.instanceId, 'the Amazon Connect instance');
  zeroId('notion.rolesDataSourceId', config.notion.rolesDataSourceId, 'the Notion roles data source');
  address('google.adminSubject', config.google.adminSubject, 'the Workspace admin the Google actions act as');
  address('welcomeEmail.sender', config.welcomeEmail.sender, 'the mailbox the welcome email is sent from');
  if (config.alertEmails.length === 0) {
    found.push({ path: 'alertEmails', value: [], why: 'no operator address: the alert topic would have no subscriber, and alerts would reach nobody' });
  }
  config.alertEmails.forEach((email, i) => address(`alertEmails.${i}`, email, 'an operator alert address'));
  config.forwardTo.forEach((receiver, i) => {
    const host = hostOf(receiver.url);
    if (isReservedDomain(host)) found.push({ path: `forwardTo.${i}.url`, value: receiver.url, why: `downstream receiver ${receiver.name} is at ${host}, a host reserved for examples` });
  });
  config.accounts.protected.addresses.forEach((email, i) => address(`accounts.protected.addresses.${i}`, email, 'a protected account'));
  config.accounts.adoptUnbound.domains.forEach((domain, i) => {
    if (isReservedDomain(domain)) found.push({ path: `accounts.adoptUnbound.domains.${i}`, value: domain, why: `${domain} is a domain reserved for examples` });
  });
  // Zendesk (docs/zendesk.md): the account and its API user.
  if (config.zendesk) {
    const host = config.zendesk.baseUrl ? hostOf(config.zendesk.baseUrl) : `${config.zendesk.subdomain}.zendesk.com`;
    if (isReservedDomain(host) || config.zendesk.subdomain === 'example') found.push({ path: 'zendesk', value: config.zendesk.baseUrl ?? config.zendesk.subdomain, why: `the Zendesk account ${host} is a placeholder` });
    address('zendesk.email', config.zendesk.email, 'the Zendesk API user');
  }
  // Nextcloud (docs/nextcloud.md): the server.
  if (config.nextcloud && isReservedDomain(hostOf(config.nextcloud.baseUrl))) found.push({ path: 'nextcloud.baseUrl', value: config.nextcloud.baseUrl, why: `the Nextcloud server ${hostOf(config.nextcloud.baseUrl)} is a placeholder` });
  // OpenProject (docs/openproject.md): the instance.
  if (config.openproject && isReservedDomain(hostOf(config.openproject.baseUrl))) found.push({ path: 'openproject.baseUrl', value: config.openproject.baseUrl, why: `the OpenProject instance ${hostOf(config.openproject.baseUrl)} is a placeholder` });
  return found;
}

/** The message synth stops with: one line per placeholder, and the two ways on. */
export function placeholderReport(stage: string, found: readonly Placeholder[]): string {
  return [
    `stage ${stage} still has ${found.length} placeholder setting${found.length === 1 ? '' : 's'} (config/stages.ts):`,
    ...found.map((p) => `  ${p.path} = ${JSON.stringify(p.value)}: ${p.why}`),
    'Set the real values before deploying; for a test account only, synth with -c allowPlaceholders=true.',
  ].join('\n');
}

/**
 * Reads the `allowPlaceholders` context value (`-c allowPlaceholders=true` arrives as the string "true"), naming the
 * field when it is neither true nor false.
 */
export function allowPlaceholdersFrom(value: unknown): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new Error(`context "allowPlaceholders" must be true or false, got ${JSON.stringify(value)}`);
}
