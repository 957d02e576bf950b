/**
 * Mails the joiner summary to the manager, with the operators in copy, through the Gmail API as the welcome sender:
 * the accounts made, the steps still to come or waiting for an operator, what the role leaves to do by hand, and the
 * role tree. It runs after the account's creation and waits (answering "not yet") while a step of the run that is
 * already due is still on its way, at most `waitMinutes`: the summary then reports each such step as done or as
 * waiting for an operator, not as in flight. A retry finds the mail the step already sent (by its X-Lifecycle-Step
 * header) and sends no second one.
 */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { joinerSummarySubject, joinerSummaryText, stepsByState } from '../../mail/joiner-summary';
import { mailRaw } from '../../mail/mime';
import { isInFlight } from '../../engine/model';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { sendAndReadBack, sentBefore } from './sent-mail';

const emailShape = z.email();

const params = z.strictObject({
  /** How long the summary waits for the run's due steps to settle before it reports them as they stand. */
  waitMinutes: z._default(z.int().check(z.gte(0), z.lte(24 * 60)), 60),
  /** How often it looks again meanwhile. */
  pollSeconds: z._default(z.int().check(z.gte(1), z.lte(3600)), 60),
});

/** What an earlier attempt handed back: since when the summary has waited. */
const progressSchema = z.object({ waitingSince: z.iso.datetime() });

export const sendJoinerSummary = defineAction({
  name: 'google.sendJoinerSummary',
  params,
  async run(ctx, p, request) {
    const g = provider(ctx, 'google');
    const settings = ctx.welcomeEmail?.();
    if (!settings || !ctx.operatorEmails) throw new ProviderError('this function was built without the mail sender or the operator addresses', false);
    const employee = request.employee;
    const manager = employee.managerEmail?.trim().toLowerCase();
    if (manager && !emailShape.safeParse(manager).success) throw new ProviderError(`employee ${employee.id}: employee.managerEmail is not an email address`, false);
    const operators = [...new Set(ctx.operatorEmails().map((a) => a.toLowerCase()))].filter((a) => a !== manager);
    const to = manager ? [manager] : operators.slice(0, 1);
    const cc = manager ? operators : operators.slice(1);
    if (!to.length) {
      throw new ProviderError(
        `employee ${employee.id} has no employee.managerEmail and the stage lists no operator addresses (alertEmails): the summary has nobody to go to; send the manager in an HR event and retry, or skip this step`,
        false,
      );
    }
    const step = `${request.runId}/${request.stepId}`;
    const steps = request.runSteps ?? [];
    const recipients = { to, cc };
    const now = ctx.clock.now();
    const inFlight = steps.filter((s) => isInFlight(s.status) && (!s.dueAt || Date.parse(s.dueAt) <= now.getTime()));
    const earlierWait = z.safeParse(progressSchema, request.progress ?? {});
    const waitingSince = earlierWait.success ? earlierWait.data.waitingSince : now.toISOString();
    const waitEnds = Date.parse(waitingSince) + p.waitMinutes * 60_000;
    if (inFlight.length && now.getTime() < waitEnds) {
      return {
        ok: true,
        checkAgainAt: new Date(Math.min(now.getTime() + p.pollSeconds * 1000, waitEnds)).toISOString(),
        progress: { waitingSince },
        note: `waiting for ${inFlight.map((s) => s.stepId).join(', ')} to settle before the summary goes out (until ${new Date(waitEnds).toISOString()} at most)`,
      };
    }
    const gmail = await google(`acting as the sender ${settings.sender}`, () => g.gmailSenderFor(settings.sender));

    const earlier = await sentBefore(gmail, to[0], step);
    if (earlier) {
      return { ok: true, note: `joiner summary already sent to ${to[0]} (message ${earlier.messageId}); not sent again`, result: { ...earlier, ...recipients, alreadySent: true } };
    }

    const input = { employee, firstDay: request.effectiveDate, runId: request.runId, role: request.role, steps };
    const raw = mailRaw({ from: settings.sender, to, cc, subject: joinerSummarySubject(input), text: joinerSummaryText(input), step, date: now });
    const sent = await sendAndReadBack(gmail, raw, step, `sending the joiner summary of employee ${employee.id}`);
    const { done, waiting, operator } = stepsByState(steps);
    const manualTasks = request.role?.manualTasks ?? [];
    return {
      ok: true,
      note: `joiner summary sent to ${[...to, ...cc].join(', ')}: ${done.length} done, ${waiting.length} still to come, ${operator.length} waiting for an operator, ${manualTasks.length} to do by hand`,
      result: { ...sent, ...recipients, done: done.length, stillToCome: waiting.map((s) => s.stepId), waitingForOperator: operator.map((s) => s.stepId), manualTasks },
    };
  },
});
