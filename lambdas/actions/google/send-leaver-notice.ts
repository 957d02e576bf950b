/**
 * Mails a leaver's manager, a few days before the last day, through the Gmail API as the welcome sender: when access
 * ends in the leaver's zone, what the run will remove, transfer and keep, and what the leaver's role gave that is
 * collected or closed by hand. With no manager it goes to the operators. A retry finds the mail the step already sent
 * (by its X-Lifecycle-Step header) and sends no second one; once the cut-off has passed it sends none at all.
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import * as z from '../../shared/zod';
import { google, googleErrorInfo, googleFailure } from '../../providers/google/google-errors';
import { leaverNoticeSubject, leaverNoticeText, noticeItems } from '../../mail/leaver-notice';
import { mailRaw } from '../../mail/mime';
import { cutoffAt } from '../../engine/plan';
import { actionSpec } from '../catalog';
import { defineAction, provider } from '../define-action';
import type { GoogleClients } from '../../providers/google/google-clients';
import { ProviderError } from '../../providers/provider-error';
import { sendAndReadBack, sentBefore } from './sent-mail';

const emailShape = z.email();

/**
 * The manager's primary address (users.get takes an alias too): the notice goes to an active account of the domain,
 * or the step fails for an operator naming employee.managerEmail, with nothing sent.
 */
async function managerAddress(g: GoogleClients, employeeId: string, manager: string, leaver: string | undefined): Promise<string> {
  const refuse = (why: string) =>
    new ProviderError(`employee ${employeeId}: employee.managerEmail ${manager} ${why}: the leaver notice was not sent; send the right manager in an HR event and retry, or skip this step`, false);
  if (manager === leaver) throw refuse("is the leaver's own address");
  let user: admin_directory_v1.Schema$User;
  try {
    user = (await g.directory.users.get({ userKey: manager, projection: 'basic' })).data;
  } catch (err) {
    // 404: no such account; 403: an address of a domain the customer does not own; 412: deleted.
    const status = googleErrorInfo(err).status;
    if (status === 404 || status === 403 || status === 412) throw refuse('is no account of the domain');
    throw googleFailure(err, `reading the manager of employee ${employeeId}`);
  }
  if (user.suspended) throw refuse('is suspended');
  if (user.archived) throw refuse('is archived');
  return (user.primaryEmail ?? manager).toLowerCase();
}

export const sendLeaverNotice = defineAction({
  name: 'google.sendLeaverNotice',
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    const g = provider(ctx, 'google');
    const settings = ctx.welcomeEmail?.();
    if (!settings || !ctx.operatorEmails) throw new ProviderError('this function was built without the mail sender or the operator addresses', false);
    const employee = request.employee;
    const cutoff = request.urgent ? ctx.clock.now() : cutoffAt(request);
    const now = ctx.clock.now();
    // Told after the fact, the manager learns nothing the run has not already done.
    if (now >= cutoff) return { ok: true, note: `the cut-off (${cutoff.toISOString()}) has passed: the leaver notice is not sent now`, result: { sent: false, cutoffAt: cutoff.toISOString() } };

    const given = employee.managerEmail?.trim().toLowerCase();
    if (given && !emailShape.safeParse(given).success) throw new ProviderError(`employee ${employee.id}: employee.managerEmail is not an email address`, false);
    const manager = given ? await managerAddress(g, employee.id, given, employee.email?.toLowerCase()) : undefined;
    const operators = [...new Set(ctx.operatorEmails().map((a) => a.toLowerCase()))];
    const to = manager ? [manager] : operators;
    if (!to.length) {
      throw new ProviderError(
        `employee ${employee.id} has no employee.managerEmail and the stage lists no operator addresses (alertEmails): the leaver notice has nobody to go to; send the manager in an HR event and retry, or skip this step`,
        false,
      );
    }
    const step = `${request.runId}/${request.stepId}`;
    const gmail = await google(`acting as the sender ${settings.sender}`, () => g.gmailSenderFor(settings.sender));
    const earlier = await sentBefore(gmail, to[0], step);
    if (earlier) return { ok: true, note: `leaver notice already sent to ${to[0]} (message ${earlier.messageId}); not sent again`, result: { ...earlier, to, alreadySent: true } };

    const input = {
      employee,
      lastDay: request.effectiveDate,
      cutoffAt: cutoff.toISOString(),
      runId: request.runId,
      ...(manager ? { manager } : {}),
      role: request.role,
      steps: request.runSteps ?? [],
      describe: (action: string) => actionSpec(action)?.description,
    };
    const raw = mailRaw({ from: settings.sender, to, subject: leaverNoticeSubject(input), text: leaverNoticeText(input), step, date: now });
    const sent = await sendAndReadBack(gmail, raw, step, `sending the leaver notice of employee ${employee.id}`);
    const items = noticeItems(input);
    const count = (kind: string) => items.filter((i) => i.kind === kind).length;
    const manualTasks = request.role?.manualTasks ?? [];
    return {
      ok: true,
      note: `leaver notice sent to ${to.join(', ')}${manager ? '' : ' (no manager: the operators)'}: ${count('removed')} to remove, ${count('transferred')} to transfer, ${manualTasks.length} to collect or close by hand`,
      result: { ...sent, to, cutoffAt: cutoff.toISOString(), removed: count('removed'), transferred: count('transferred'), manualTasks },
    };
  },
});
