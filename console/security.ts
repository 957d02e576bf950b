/**
 * What a browser may do with the console's pages, the one place it is said: its own scripts, styles and API only,
 * never framed. The local server sends these headers (local/console-files.ts); on AWS CloudFront's response headers
 * policy sends the same, with the hosted sign-in domain added where the browser reaches it
 * (lib/constructs/console-hosting.ts).
 */

/** The Content-Security-Policy; `signInOrigin` (Cognito's hosted sign-in) for the token exchange and a form posted to it. */
export function consoleContentSecurityPolicy(signInOrigin?: string): string {
  const plus = signInOrigin ? ` ${signInOrigin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${plus}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self'${plus}`,
  ].join('; ');
}

/** The local server's headers on every console answer. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': consoleContentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};
