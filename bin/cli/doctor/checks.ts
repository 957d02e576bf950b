/**
 * What `lifecycle doctor` checks on a stage, end to end: each secret filled, a Google token for each scope the actions
 * need, the Connect instance and the profiles the role catalog names, the catalog readable, an operator subscribed to
 * alerts, and no step stuck in the dead-letter queue. Every outside call goes through the ports of a DoctorTarget,
 * built for AWS (aws-target.ts) or for the local runtime (local-target.ts); the logic here is the same for both.
 */
import { DescribeInstanceCommand, paginateListRoutingProfiles, paginateListSecurityProfiles, type ConnectClient } from '@aws-sdk/client-connect';
import type { Client as NotionClient } from '@notionhq/client';
import { ACTION_CATALOG, type ActionSpec } from '../../../lambdas/actions/catalog';
import { parseKeyRing } from '../../../lambdas/http/signature';
import type { ServiceAccountKey } from '../../../lambdas/providers/google/google-config';
import { GOOGLE_SCOPE, GOOGLE_TOKEN_SCOPES } from '../../../lambdas/providers/google/google-scopes';
import { MY_CUSTOMER } from '../../../lambdas/providers/google/google-clients';
import { NOTION_TOKEN_PLACEHOLDER } from '../../../lambdas/providers/notion/notion-from-env';
import { readRolePages } from '../../../lambdas/providers/notion/role-catalog';
import { isConnectId } from '../../../lambdas/providers/connect/references';
import type { RawRole } from '../../../lambdas/roles/role-model';

export type CheckStatus = 'ok' | 'FAIL' | 'skip';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** One line an operator can act on. */
  detail: string;
}

/** How a secret's value must look to be usable: a signing key ring, a Google service account key, a Notion token. */
export type SecretKind = 'signing-key' | 'google-key' | 'notion-token';

export interface SecretRef {
  /** As shown in the table: the stack output or local setting that names it. */
  label: string;
  kind: SecretKind;
  /** The value, or undefined when there is none (a secret without a string value). */
  read(): Promise<string | undefined>;
}

export interface AlertSubscription {
  protocol: string;
  endpoint: string;
  confirmed: boolean;
}

export interface DoctorTarget {
  /** Where the checks run, for the table's heading: `stage dev (eu-central-1)` or `local runtime`. */
  name: string;
  secrets: readonly SecretRef[];
  google: {
    adminSubject: string;
    /** The mailbox the welcome email is sent as: the gmail.send token acts as it. */
    sender: string;
    /** The stage's customer id: a real one (C0…) means customers.get, and its scope, are never used. */
    customerId?: string;
    /** Exchanges a JWT signed with the key for an access token acting as `subject` with `scopes`; throws Google's refusal. */
    mint(key: ServiceAccountKey, subject: string, scopes: readonly string[]): Promise<void>;
  };
  connect: { client: ConnectClient; instanceId: string };
  notion: { client(token: string): NotionClient; dataSourceId: string };
  alerts: { describe: string; subscriptions(): Promise<AlertSubscription[]> };
  deadLetters: { describe: string; depth(): Promise<number> };
}

/** Every scope some action in the catalog asks Google for, in the order the scope list defines them. */
export function scopesTheActionsNeed(catalog: readonly ActionSpec[] = ACTION_CATALOG): string[] {
  const needed = new Set(catalog.flatMap((a) => a.needs.googleScopes ?? []));
  return Object.values(GOOGLE_TOKEN_SCOPES)
    .flat()
    .filter((s, i, all) => needed.has(s) && all.indexOf(s) === i);
}

/** Who a token for the scope acts as: the sender for the welcome email's scopes, the admin for every other. */
export function subjectFor(scope: string, google: { adminSubject: string; sender: string }): string {
  return (GOOGLE_TOKEN_SCOPES.gmailSend as readonly string[]).includes(scope) ? google.sender : google.adminSubject;
}

const SHORT = 'https://www.googleapis.com/auth/';
const shortScope = (scope: string) => (scope.startsWith(SHORT) ? scope.slice(SHORT.length) : scope);

/** The first line of an error's message, kept short: the table has one line per check. */
export function oneLine(err: unknown): string {
  const text = err && typeof err === 'object' && 'message' in err && typeof err.message === 'string' ? err.message : String(err);
  const line = text.split('\n')[0].trim() || (err && typeof err === 'object' && 'name' in err ? String(err.name) : 'unknown error');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

type Parsed = { ok: true; value: unknown; detail: string } | { ok: false; detail: string };

/** Whether a secret's value is usable, and what it holds (never the value itself). */
export function inspectSecret(kind: SecretKind, value: string | undefined): Parsed {
  if (value === undefined || value.trim() === '') return { ok: false, detail: 'empty: paste the value in (docs/doctor.md says where each comes from)' };
  if (kind === 'notion-token') {
    if (value === NOTION_TOKEN_PLACEHOLDER) return { ok: false, detail: 'still the placeholder: paste the Notion integration token in' };
    return { ok: true, value: value.trim(), detail: 'filled' };
  }
  if (kind === 'signing-key') {
    try {
      const ring = parseKeyRing(value, 'the key');
      return { ok: true, value: ring, detail: ring.previous ? 'filled (current and previous)' : 'filled' };
    } catch (err) {
      return { ok: false, detail: oneLine(err) };
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, detail: 'not JSON: paste the whole JSON key file created in the Google Cloud console' };
  }
  const key = json && typeof json === 'object' ? (json as Partial<ServiceAccountKey>) : {};
  if (!key.client_email || !key.private_key) return { ok: false, detail: 'empty template: client_email or private_key is blank; paste the JSON key file in' };
  return { ok: true, value: { client_email: key.client_email, private_key: key.private_key }, detail: `filled (${key.client_email})` };
}

const row = (check: string, status: CheckStatus, detail: string): CheckResult => ({ check, status, detail });

async function checkSecrets(target: DoctorTarget): Promise<{ rows: CheckResult[]; googleKey?: ServiceAccountKey; notionToken?: string; googleKeyRow?: CheckResult; notionRow?: CheckResult }> {
  const out: Awaited<ReturnType<typeof checkSecrets>> = { rows: [] };
  for (const secret of target.secrets) {
    let inspected: Parsed;
    try {
      inspected = inspectSecret(secret.kind, await secret.read());
    } catch (err) {
      inspected = { ok: false, detail: `could not be read: ${oneLine(err)}` };
    }
    const result = row(`secret ${secret.label}`, inspected.ok ? 'ok' : 'FAIL', inspected.detail);
    out.rows.push(result);
    if (secret.kind === 'google-key') {
      out.googleKeyRow = result;
      if (inspected.ok) out.googleKey = inspected.value as ServiceAccountKey;
    }
    if (secret.kind === 'notion-token') {
      out.notionRow = result;
      if (inspected.ok) out.notionToken = inspected.value as string;
    }
  }
  return out;
}

/** Why Google refused a token, said as what to do about it. */
function tokenRefusal(err: unknown, clientEmail: string, subject: string): string {
  const message = oneLine(err);
  if (/unauthorized_client/.test(message)) return `not delegated: add it to the domain-wide delegation of ${clientEmail}'s client id (docs/google-scopes.md)`;
  if (/invalid_grant/.test(message) && /email or user id/i.test(message)) return `${subject} is not a user of the Workspace domain`;
  return message;
}

async function checkGoogle(target: DoctorTarget, key: ServiceAccountKey | undefined, keyRow: CheckResult | undefined): Promise<CheckResult[]> {
  const scopes = scopesTheActionsNeed();
  if (!key) {
    const why = keyRow ? `the Google key (${keyRow.check.replace(/^secret /, '')}) is not usable` : 'this stage has no Google key';
    return [row('google tokens', 'skip', `${why}: no token can be asked for`)];
  }
  const { customerId } = target.google;
  return Promise.all(
    scopes.map(async (scope) => {
      if (scope === GOOGLE_SCOPE.customerReadonly && customerId && customerId !== MY_CUSTOMER) {
        return row(`google ${shortScope(scope)}`, 'skip', `the stage configures customer id ${customerId}: customers.get is never called, so it need not be delegated`);
      }
      const subject = subjectFor(scope, target.google);
      try {
        await target.google.mint(key, subject, [scope]);
        return row(`google ${shortScope(scope)}`, 'ok', `token granted as ${subject}`);
      } catch (err) {
        return row(`google ${shortScope(scope)}`, 'FAIL', tokenRefusal(err, key.client_email, subject));
      }
    }),
  );
}

async function checkNotion(target: DoctorTarget, token: string | undefined, tokenRow: CheckResult | undefined): Promise<{ rows: CheckResult[]; roles?: RawRole[] }> {
  const check = 'notion role catalog';
  if (token === undefined) {
    return { rows: [row(check, 'skip', tokenRow ? 'the Notion token is not usable' : 'this stage has no Notion token')] };
  }
  try {
    const roles = await readRolePages(target.notion.client(token), target.notion.dataSourceId);
    return { rows: [row(check, 'ok', `${roles.length} role${roles.length === 1 ? '' : 's'} read from data source ${target.notion.dataSourceId}`)], roles };
  } catch (err) {
    return { rows: [row(check, 'FAIL', `data source ${target.notion.dataSourceId}: ${oneLine(err)}`)] };
  }
}

interface Named {
  Id?: string;
  Name?: string;
}

/** The references the catalog makes that match no profile by id or by name (exact, else apart from case, as the actions resolve them). */
export function missingReferences(refs: ReadonlyMap<string, readonly string[]>, profiles: readonly Named[]): string[] {
  const found = (ref: string) =>
    isConnectId(ref)
      ? profiles.some((p) => p.Id === ref || (ref.startsWith('arn:') && ref.endsWith(`/${p.Id}`)))
      : profiles.some((p) => p.Name === ref) || profiles.filter((p) => p.Name?.toLowerCase() === ref.toLowerCase()).length === 1;
  return [...refs.entries()].filter(([ref]) => !found(ref)).map(([ref, roles]) => `"${ref}" (role ${roles.join(', ')})`);
}

/** Each routing or security profile the role catalog names, with the roles that name it. */
export function connectReferencesOf(roles: readonly RawRole[], kind: 'routing profile' | 'security profile'): Map<string, string[]> {
  const refs = new Map<string, string[]>();
  for (const role of roles) {
    const named = kind === 'routing profile' ? [role.grants.single.connectRoutingProfile] : (role.grants.lists.connectSecurityProfiles ?? []);
    for (const ref of named) if (ref) refs.set(ref, [...(refs.get(ref) ?? []), role.name]);
  }
  return refs;
}

async function checkConnect(target: DoctorTarget, roles: RawRole[] | undefined): Promise<CheckResult[]> {
  const { client, instanceId } = target.connect;
  let instanceOk = false;
  const rows: CheckResult[] = [];
  try {
    const out = await client.send(new DescribeInstanceCommand({ InstanceId: instanceId }));
    const status = out.Instance?.InstanceStatus ?? 'unknown';
    instanceOk = status === 'ACTIVE';
    rows.push(row('connect instance', instanceOk ? 'ok' : 'FAIL', `${instanceId} (${out.Instance?.InstanceAlias ?? 'no alias'}) is ${status}`));
  } catch (err) {
    rows.push(row('connect instance', 'FAIL', `${instanceId}: ${oneLine(err)}`));
  }
  for (const kind of ['routing profile', 'security profile'] as const) {
    const check = `connect ${kind}s`;
    if (!instanceOk) {
      rows.push(row(check, 'skip', 'the instance is not reachable'));
      continue;
    }
    let profiles: Named[];
    try {
      profiles = [];
      const config = { client, pageSize: 1000 };
      if (kind === 'routing profile') for await (const page of paginateListRoutingProfiles(config, { InstanceId: instanceId })) profiles.push(...(page.RoutingProfileSummaryList ?? []));
      else for await (const page of paginateListSecurityProfiles(config, { InstanceId: instanceId })) profiles.push(...(page.SecurityProfileSummaryList ?? []));
    } catch (err) {
      rows.push(row(check, 'FAIL', `listing them: ${oneLine(err)}`));
      continue;
    }
    if (!roles) {
      rows.push(row(check, 'skip', `${profiles.length} in the instance; the role catalog could not be read, so which it names is unknown`));
      continue;
    }
    const refs = connectReferencesOf(roles, kind);
    const missing = missingReferences(refs, profiles);
    rows.push(
      missing.length
        ? row(check, 'FAIL', `the role catalog names ${missing.length === 1 ? 'one' : missing.length} the instance lacks: ${missing.join(', ')}`)
        : row(check, 'ok', `all ${refs.size} the role catalog names exist (${profiles.length} in the instance)`),
    );
  }
  return rows;
}

async function checkAlerts(target: DoctorTarget): Promise<CheckResult> {
  const check = 'alert subscribers';
  try {
    const subs = await target.alerts.subscriptions();
    const confirmed = subs.filter((s) => s.confirmed);
    const pending = subs.length - confirmed.length;
    if (confirmed.length === 0) {
      const why = pending ? `${pending} subscription${pending === 1 ? '' : 's'} still pending confirmation (the link in the mail AWS sent)` : 'no subscription';
      return row(check, 'FAIL', `${target.alerts.describe}: nobody receives alerts: ${why}`);
    }
    const protocols = [...new Set(confirmed.map((s) => s.protocol))].join(', ');
    return row(check, 'ok', `${confirmed.length} confirmed (${protocols})${pending ? `, ${pending} pending confirmation` : ''}`);
  } catch (err) {
    return row(check, 'FAIL', `${target.alerts.describe}: ${oneLine(err)}`);
  }
}

async function checkDeadLetters(target: DoctorTarget): Promise<CheckResult> {
  const check = 'dead-letter queue';
  try {
    const depth = await target.deadLetters.depth();
    if (depth === 0) return row(check, 'ok', 'empty');
    return row(check, 'FAIL', `${depth} message${depth === 1 ? '' : 's'} waiting: the dead-letter handler is not draining it; see its logs and npx lifecycle alerts`);
  } catch (err) {
    return row(check, 'FAIL', `${target.deadLetters.describe}: ${oneLine(err)}`);
  }
}

/** Runs every check against the target; a check whose part cannot be reached fails, and what depends on it is skipped. */
export async function runChecks(target: DoctorTarget): Promise<CheckResult[]> {
  const secrets = await checkSecrets(target);
  const [google, notion, alerts, deadLetters] = await Promise.all([
    checkGoogle(target, secrets.googleKey, secrets.googleKeyRow),
    checkNotion(target, secrets.notionToken, secrets.notionRow),
    checkAlerts(target),
    checkDeadLetters(target),
  ]);
  const connect = await checkConnect(target, notion.roles);
  return [...secrets.rows, ...google, ...connect, ...notion.rows, alerts, deadLetters];
}

export const anyFailed = (results: readonly CheckResult[]) => results.some((r) => r.status === 'FAIL');
