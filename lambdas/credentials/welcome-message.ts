/** The welcome email's text and message: pure, so its shape is tested with plain values. */
import { humanDate, mailRaw } from '../mail/mime';

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
  return mailRaw({
    from: input.from,
    to: [input.to],
    subject: `Welcome, ${input.firstName}: your account for ${humanDate(input.firstDay)}`,
    text: welcomeText(input),
    step: input.step,
    date: input.date,
  });
}
