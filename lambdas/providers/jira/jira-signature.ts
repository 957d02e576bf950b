/**
 * Jira Cloud's webhook signature: an admin webhook registered with a secret carries `X-Hub-Signature: sha256=<hex>`,
 * the HMAC-SHA256 of the raw body keyed with that secret (the WebSub scheme). No timestamp is signed: Jira names each
 * delivery in X-Atlassian-Webhook-Identifier, and a delivery sent again becomes the same event id, answered once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { header } from '../../http/signature';

export const JIRA_SIGNATURE_HEADER = 'X-Hub-Signature';

export function jiraSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Headers Jira sends with a signed delivery, for the local sender and tests. */
export function jiraSignedHeaders(secret: string, rawBody: string, deliveryId = `local-${Date.now()}`): Record<string, string> {
  return { 'Content-Type': 'application/json', [JIRA_SIGNATURE_HEADER]: jiraSignature(secret, rawBody), 'X-Atlassian-Webhook-Identifier': deliveryId };
}

/** Whether the delivery carries this secret's signature of its body, compared in constant time; else why not. */
export function verifyJiraSignature(secret: string, headers: Record<string, string | undefined> | null | undefined, rawBody: string): { ok: true } | { ok: false; error: string } {
  const given = header(headers, JIRA_SIGNATURE_HEADER)?.trim();
  if (!given) return { ok: false, error: `missing ${JIRA_SIGNATURE_HEADER} header: register the Jira webhook with the secret` };
  if (!/^sha256=[0-9a-fA-F]{64}$/.test(given)) return { ok: false, error: `${JIRA_SIGNATURE_HEADER} must be sha256=<hex HMAC-SHA256 of the body>` };
  const expected = Buffer.from(jiraSignature(secret, rawBody));
  const actual = Buffer.from(given.toLowerCase());
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, error: 'signature does not match the body (signed with the Jira webhook secret)' };
  }
  return { ok: true };
}
