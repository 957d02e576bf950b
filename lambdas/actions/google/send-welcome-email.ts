/**
 * Sends the joiner's welcome email to their personal address through the Gmail API, as the configured sender: the
 * new company address, the first day, and a one-time link that reveals the sealed initial password once. Only the
 * link token's hash is stored; a retry finds a message the step already sent (by its X-Lifecycle-Step header).
 */
import type { gmail_v1 } from '@googleapis/gmail/build/v1';
import * as z from '../../shared/zod';
import type { ActionRequest } from '../../engine/ports';
import { google } from '../../providers/google/google-errors';
import { addDays, mintRevealToken, revealTokenHash, revealUrl, type CredentialVault, type WelcomeEmailSettings } from '../../credentials/vault';
import { STEP_HEADER, welcomeRaw } from '../../credentials/welcome-message';
import { defineAction, provider, ProviderError, type ActionContext } from '../define-action';
import { notApplied } from './google-user';

/** Sent messages to the recipient looked at for this step's header: a person gets few mails from the sender. */
const SENT_LOOKBACK = 25;

const emailShape = z.email();

function needs(ctx: ActionContext): { settings: WelcomeEmailSettings; vault: CredentialVault } {
  const settings = ctx.welcomeEmail?.();
  const vault = ctx.credentials?.();
  if (!settings || !vault) throw new ProviderError('this function was built without the welcome email settings or the credential vault', false);
  return { settings, vault };
}

function recipientOf(request: ActionRequest): string {
  const to = request.employee.personalEmail?.trim();
  if (!to) {
    throw new ProviderError(
      `employee ${request.employee.id} has no employee.personalEmail: the welcome email goes to the personal address; send it in an HR event and retry this step`,
      false,
    );
  }
  if (!emailShape.safeParse(to).success) throw new ProviderError(`employee ${request.employee.id}: employee.personalEmail is not an email address`, false);
  return to;
}

const headerOf = (message: gmail_v1.Schema$Message, name: string) =>
  message.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ?? undefined;

const sentAtOf = (message: gmail_v1.Schema$Message) => new Date(Number(message.internalDate ?? 0)).toISOString();

/** The message this step sent earlier, if any: an answer lost after the send must not become a second mail. */
async function sentBefore(gmail: gmail_v1.Gmail, to: string, step: string): Promise<gmail_v1.Schema$Message | undefined> {
  const list = await google('looking for a welcome email already sent', () =>
    gmail.users.messages.list({ userId: 'me', labelIds: ['SENT'], q: `to:${to}`, maxResults: SENT_LOOKBACK }),
  );
  for (const { id } of list.data.messages ?? []) {
    if (!id) continue;
    const message = await google(`reading sent message ${id}`, () =>
      gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: [STEP_HEADER] }),
    );
    if (headerOf(message.data, STEP_HEADER) === step) return message.data;
  }
  return undefined;
}

export const sendWelcomeEmail = defineAction({
  name: 'google.sendWelcomeEmail',
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    const g = provider(ctx, 'google');
    const { settings, vault } = needs(ctx);
    const employee = request.employee;
    const to = recipientOf(request);
    const companyEmail = employee.email;
    if (!companyEmail) throw new ProviderError(`employee ${employee.id} has no employee.email: the welcome email names the new company address; it runs after google.createUser`, false);
    const step = `${request.runId}/${request.stepId}`;
    const gmail = await google(`acting as the welcome sender ${settings.sender}`, () => g.gmailSenderFor(settings.sender));

    const earlier = await sentBefore(gmail, to, step);
    if (earlier?.id) {
      return {
        ok: true,
        note: `welcome email already sent to the personal address (message ${earlier.id}); not sent again`,
        result: { messageId: earlier.id, recipient: to, sentAt: sentAtOf(earlier), alreadySent: true },
      };
    }

    const credential = await vault.store.getCredential(employee.id, request.runId);
    if (!credential?.ciphertext) {
      const why = credential?.revealedAt ? `its initial password was already revealed at ${credential.revealedAt}` : 'it holds no sealed initial password';
      throw new ProviderError(`run ${request.runId}: ${why}; reset the password of ${companyEmail} and hand it over another way, or skip this step`, false);
    }

    const now = ctx.clock.now();
    const token = mintRevealToken();
    const expiresAt = addDays(now, settings.linkValidDays);
    if (!(await vault.store.issueRevealToken(employee.id, request.runId, revealTokenHash(token), now.toISOString(), expiresAt))) {
      throw new ProviderError(`run ${request.runId}: the initial password was revealed meanwhile; no new link is sent`, false);
    }
    const raw = welcomeRaw({
      from: settings.sender,
      to,
      firstName: employee.firstName,
      companyEmail,
      firstDay: request.effectiveDate,
      link: revealUrl(settings.publicApiUrl(), token),
      linkExpiresAt: expiresAt,
      step,
      date: now,
    });
    const sent = await google(`sending the welcome email of employee ${employee.id}`, () => gmail.users.messages.send({ userId: 'me', requestBody: { raw } }));
    const id = sent.data.id;
    if (!id) throw notApplied('sending the welcome email', 'messages.send answered no message id');

    const back = await google(`reading back sent message ${id}`, () =>
      gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: [STEP_HEADER, 'To'] }),
    );
    if (!back.data.labelIds?.includes('SENT') || headerOf(back.data, STEP_HEADER) !== step) {
      throw notApplied('sending the welcome email', `message ${id} is not in the sender's sent mail with header ${STEP_HEADER}: ${step}`);
    }
    return {
      ok: true,
      note: `welcome email sent to the personal address with a one-time password link valid until ${expiresAt}`,
      result: { messageId: id, recipient: to, sentAt: sentAtOf(back.data), linkExpiresAt: expiresAt },
    };
  },
});
