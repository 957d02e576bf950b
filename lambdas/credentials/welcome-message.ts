/** The welcome email as an RFC 822 message, base64url for Gmail's messages.send: pure, so its shape is tested with plain values. */

/** The header that ties a sent message to the step that sent it: a retry looks for it before sending again. */
export const STEP_HEADER = 'X-Lifecycle-Step';

export interface WelcomeMessageInput {
  from: string;
  to: string;
  firstName: string;
  companyEmail: string;
  /** The first day, YYYY-MM-DD. */
  firstDay: string;
  link: string;
  linkExpiresAt: string;
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

/** "Tuesday 1 December 2026": the date as the person reads it; a date alone has no zone. */
export function humanDate(isoDate: string): string {
  const at = new Date(`${isoDate}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return isoDate;
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at).replace(',', '');
}

export function welcomeText(input: WelcomeMessageInput): string {
  return [
    `Hello ${input.firstName},`,
    '',
    `Welcome! Your company account is ready for your first day, ${humanDate(input.firstDay)}.`,
    '',
    `Your sign-in address: ${input.companyEmail}`,
    '',
    'Open this link to see your initial password. It shows the password once only, and stops working',
    `on ${new Date(input.linkExpiresAt).toUTCString()}:`,
    '',
    input.link,
    '',
    'You will choose your own password when you first sign in. If the link no longer works, ask IT for a password reset.',
    '',
    'See you soon!',
  ].join('\r\n');
}

/** The message, base64url: what messages.send takes as `raw`. */
export function welcomeRaw(input: WelcomeMessageInput): string {
  const body = Buffer.from(welcomeText(input), 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const headers = [
    `From: ${oneLine(input.from)}`,
    `To: ${oneLine(input.to)}`,
    `Subject: ${encodeWord(`Welcome, ${input.firstName}: your account for ${humanDate(input.firstDay)}`)}`,
    `Date: ${input.date.toUTCString()}`,
    `${STEP_HEADER}: ${oneLine(input.step)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`, 'utf8').toString('base64url');
}
