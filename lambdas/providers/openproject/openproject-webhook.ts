/**
 * OpenProject's outgoing webhooks (Administration, API and webhooks, Webhooks): a POST of
 * `{"action": "work_package:updated", "work_package": <the work package as API v3 represents it, _embedded included>}`,
 * signed when the webhook has a signature secret: `X-OP-Signature: sha1=<hex>`, the HMAC-SHA1 of the raw body keyed
 * with that secret. No timestamp is signed; a delivery sent again is read again, and the workflow is idempotent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { header } from '../../http/signature';
import { idOfLink, type WorkPackage } from './openproject-client';

export const OPENPROJECT_SIGNATURE_HEADER = 'X-OP-Signature';

export function openProjectWebhookSignature(secret: string, rawBody: string): string {
  return `sha1=${createHmac('sha1', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** Whether the delivery carries this secret's signature of its body, compared in constant time; else why not. */
export function verifyOpenProjectSignature(secret: string, headers: Record<string, string | undefined> | null | undefined, rawBody: string): { ok: true } | { ok: false; error: string } {
  const given = header(headers, OPENPROJECT_SIGNATURE_HEADER)?.trim();
  if (!given) return { ok: false, error: `missing ${OPENPROJECT_SIGNATURE_HEADER} header: give the OpenProject webhook the signature secret` };
  if (!/^sha1=[0-9a-fA-F]{40}$/.test(given)) return { ok: false, error: `${OPENPROJECT_SIGNATURE_HEADER} must be sha1=<hex HMAC-SHA1 of the body>` };
  const expected = Buffer.from(openProjectWebhookSignature(secret, rawBody));
  const actual = Buffer.from(given.toLowerCase());
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { ok: false, error: 'signature does not match the body (signed with the OpenProject webhook secret)' };
  return { ok: true };
}

export interface OpenProjectWebhookPayload {
  action?: unknown;
  work_package?: WorkPackage & { _embedded?: { project?: { id?: number; identifier?: string } } };
}

/** The work package events read; OpenProject sends others (time entries, projects, attachments) if registered for them. */
export const OPENPROJECT_WEBHOOK_ACTIONS = ['work_package:updated', 'work_package:created'] as const;

/** Whether a delivery is a member task of the stage's project and type: the work package, or why it is ignored. */
export function memberTaskOf(payload: OpenProjectWebhookPayload, project: string, typeId: number): { ok: true; workPackage: WorkPackage } | { ok: false; reason: string } {
  const action = typeof payload.action === 'string' ? payload.action : undefined;
  if (!action || !(OPENPROJECT_WEBHOOK_ACTIONS as readonly string[]).includes(action)) return { ok: false, reason: `action ${action ?? '(none)'} is not read: only ${OPENPROJECT_WEBHOOK_ACTIONS.join(' and ')}` };
  const wp = payload.work_package;
  if (!wp || typeof wp !== 'object' || typeof wp.id !== 'number' || !wp._links) return { ok: false, reason: 'the delivery carries no work package' };
  const projectId = idOfLink(wp._links.project);
  const embedded = wp._embedded?.project;
  const inProject = String(projectId) === project || embedded?.identifier === project || String(embedded?.id) === project;
  if (!inProject) return { ok: false, reason: `project ${embedded?.identifier ?? projectId ?? '(none)'} is not ${project}` };
  if (idOfLink(wp._links.type) !== typeId) return { ok: false, reason: `type ${wp._links.type?.title ?? '(none)'} is not the member task type ${typeId}` };
  return { ok: true, workPackage: wp };
}
