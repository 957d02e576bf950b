/**
 * Sends the joiner's welcome email to their personal address through the Gmail API, as the configured sender: the
 * new company address, the first day, and a one-time link that reveals the sealed initial password once. Only the
 * link token's hash is stored; a retry finds a message the step already sent (by its X-Lifecycle-Step header).
 */
import * as z from '../../shared/zod';
import type { ActionRequest } from '../../engine/ports';
import { google } from '../../providers/google/google-errors';
import { mintRevealToken, revealTokenHash, revealUrl, type CredentialVault, type WelcomeEmailSettings } from '../../credentials/vault';
import { daysAfter } from '../../engine/time';
import { welcomeRaw } from '../../credentials/welcome-message';
import { defineAction, provider, type ActionContext } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { sendAndReadBack, sentBefore } from './sent-mail';
import { googleAccount } from './google-account';

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

export const sendWelcomeEmail = defineAction({
  name: 'google.sendWelcomeEmail',
  account: googleAccount(),
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
    if (earlier) {
      return {
        ok: true,
        note: `welcome email already sent to the personal address (message ${earlier.messageId}); not sent again`,
        result: { ...earlier, recipient: to, alreadySent: true },
      };
    }

    const credential = await vault.store.getCredential(employee.id, request.runId);
    if (!credential?.ciphertext) {
      const why = credential?.revealedAt ? `its initial password was already revealed at ${credential.revealedAt}` : 'it holds no sealed initial password';
      throw new ProviderError(`run ${request.runId}: ${why}; reset the password of ${companyEmail} and hand it over another way, or skip this step`, false);
    }

    const now = ctx.clock.now();
    const token = mintRevealToken();
    const expiresAt = daysAfter(now, settings.linkValidDays);
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
    const sent = await sendAndReadBack(gmail, raw, step, `sending the welcome email of employee ${employee.id}`);
    return {
      ok: true,
      note: `welcome email sent to the personal address with a one-time password link valid until ${expiresAt}`,
      result: { ...sent, recipient: to, linkExpiresAt: expiresAt },
    };
  },
});
