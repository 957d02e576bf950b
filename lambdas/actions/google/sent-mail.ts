/**
 * What the Google actions that send mail share: finding the message a step sent before (an answer lost after the
 * send must not become a second mail) and reading a sent message back. A step marks its mail with STEP_HEADER.
 */
import type { gmail_v1 } from '@googleapis/gmail/build/v1';
import { STEP_HEADER } from '../../mail/mime';
import { google } from '../../providers/google/google-errors';
import { notApplied } from './google-user';

/** Sent messages to the recipient looked at for the step's header: a person gets few mails from the sender. */
const SENT_LOOKBACK = 25;

export interface SentMail {
  messageId: string;
  sentAt: string;
}

const headerOf = (message: gmail_v1.Schema$Message, name: string) =>
  message.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value ?? undefined;

const sentAtOf = (message: gmail_v1.Schema$Message) => new Date(Number(message.internalDate ?? 0)).toISOString();

/** The message `step` (`<runId>/<stepId>`) sent to `to` earlier, if any. */
export async function sentBefore(gmail: gmail_v1.Gmail, to: string, step: string): Promise<SentMail | undefined> {
  const list = await google(`looking for a mail step ${step} already sent`, () =>
    gmail.users.messages.list({ userId: 'me', labelIds: ['SENT'], q: `to:${to}`, maxResults: SENT_LOOKBACK }),
  );
  for (const { id } of list.data.messages ?? []) {
    if (!id) continue;
    const message = await google(`reading sent message ${id}`, () =>
      gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: [STEP_HEADER] }),
    );
    if (headerOf(message.data, STEP_HEADER) === step) return { messageId: id, sentAt: sentAtOf(message.data) };
  }
  return undefined;
}

/** Sends `raw` and reads it back from the sender's sent mail: no message id, or no such message, is not success. */
export async function sendAndReadBack(gmail: gmail_v1.Gmail, raw: string, step: string, what: string): Promise<SentMail> {
  const sent = await google(what, () => gmail.users.messages.send({ userId: 'me', requestBody: { raw } }));
  const id = sent.data.id;
  if (!id) throw notApplied(what, 'messages.send answered no message id');
  const back = await google(`reading back sent message ${id}`, () =>
    gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: [STEP_HEADER, 'To'] }),
  );
  if (!back.data.labelIds?.includes('SENT') || headerOf(back.data, STEP_HEADER) !== step) {
    throw notApplied(what, `message ${id} is not in the sender's sent mail with header ${STEP_HEADER}: ${step}`);
  }
  return { messageId: id, sentAt: sentAtOf(back.data) };
}
