/** A plain-text mail as RFC 822, base64url for Gmail's messages.send: pure, so its shape is tested with plain values. */

/** The header that ties a sent message to the step that sent it: a retry looks for it before sending again. */
export const STEP_HEADER = 'X-Lifecycle-Step';

export interface PlainMail {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  /** `<runId>/<stepId>`. */
  step: string;
  date: Date;
}

/** HR data goes into headers: a line break in it must not start a header of its own. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');

/** RFC 2047 for a header that is not plain ASCII. */
function encodeWord(raw: string): string {
  const text = oneLine(raw);
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** "Tuesday 1 December 2026": the date as a person reads it; a date alone has no zone. */
export function humanDate(isoDate: string): string {
  const at = new Date(`${isoDate}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return isoDate;
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at).replace(',', '');
}

/** The message, base64url: what messages.send takes as `raw`. Lines end in CRLF; the body is base64 UTF-8. */
export function mailRaw(mail: PlainMail): string {
  const text = mail.text.replace(/\r?\n/g, '\r\n');
  const body = Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const headers = [
    `From: ${oneLine(mail.from)}`,
    `To: ${oneLine(mail.to.join(', '))}`,
    ...(mail.cc?.length ? [`Cc: ${oneLine(mail.cc.join(', '))}`] : []),
    `Subject: ${encodeWord(mail.subject)}`,
    `Date: ${mail.date.toUTCString()}`,
    `${STEP_HEADER}: ${oneLine(mail.step)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`, 'utf8').toString('base64url');
}
