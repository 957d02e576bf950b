/**
 * Sends the inactivity notice through the Gmail API as the welcome sender, once per revoke run: the mail carries
 * `X-Lifecycle-Step: <runId>/inactivity-notice`, and a mail already in the sender's sent mail with it is not sent again.
 */
import type { GoogleClients } from '../providers/google/google-clients';
import { google } from '../providers/google/google-errors';
import { mailRaw } from '../mail/mime';
import { inactivityNoticeSubject, inactivityNoticeText, type InactivityNoticeInput } from '../mail/inactivity-notice';
import { sendAndReadBack, sentBefore } from '../actions/google/sent-mail';

/** The notice's mark on the mail, after the run id: one notice per run. */
export const NOTICE_STEP = 'inactivity-notice';

export interface InactivityNotice extends InactivityNoticeInput {
  /** The person and their manager: the first gets it To, the others too. */
  to: string[];
}

export interface InactivityMailer {
  send(notice: InactivityNotice): Promise<{ messageId: string; sentAt: string; alreadySent: boolean }>;
}

export function gmailInactivityMailer(clients: () => GoogleClients, sender: string, now: () => Date): InactivityMailer {
  return {
    async send(notice) {
      const step = `${notice.runId}/${NOTICE_STEP}`;
      const gmail = await google(`acting as the sender ${sender}`, () => clients().gmailSenderFor(sender));
      const earlier = await sentBefore(gmail, notice.to[0], step);
      if (earlier) return { ...earlier, alreadySent: true };
      const raw = mailRaw({ from: sender, to: notice.to, subject: inactivityNoticeSubject(notice), text: inactivityNoticeText(notice), step, date: now() });
      return { ...(await sendAndReadBack(gmail, raw, step, `sending the inactivity notice of run ${notice.runId}`)), alreadySent: false };
    },
  };
}
