/**
 * The one-time reveal of an initial password behind the welcome email's link. GET only shows a button (a link
 * preview fetching the URL burns nothing); POST claims the credential in one conditional write, opens the
 * ciphertext and shows the password once. The token is the credential: it is hashed before any lookup.
 * A link found expired has its sealed password deleted there and then (DynamoDB's TTL deletes it only eventually,
 * the embedded store never).
 */
import type { AuditEntry } from '../engine/model';
import type { Clock, EngineLog } from '../engine/ports';
import type { CredentialRecord, CredentialStore, RevealClaim } from '../store/lifecycle-store';
import type { PasswordSealer } from './password-sealer';
import { isWellFormedToken, revealTokenHash } from './vault';
import { errorFields } from '../shared/log-fields';

export interface RevealDeps {
  store: Pick<CredentialStore, 'findByRevealToken' | 'claimReveal' | 'releaseReveal' | 'deleteExpiredCredential'> & { appendAudit(entries: AuditEntry[]): Promise<void> };
  sealer: PasswordSealer;
  clock: Clock;
  log: EngineLog;
}

export interface RevealPage {
  status: number;
  html: string;
}

/** Every page: never cached, never indexed, never framed, no referrer carrying the token elsewhere. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Robots-Tag': 'noindex, nofollow',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

const ACTOR = 'welcome-link';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(status: number, title: string, body: string): RevealPage {
  return {
    status,
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{font-size:1.4rem;padding:.4rem .6rem;background:#f2f2f2;border-radius:4px;user-select:all}button{font-size:1rem;padding:.6rem 1.2rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`,
  };
}

const ASK_IT = '<p>Ask IT for a password reset.</p>';

const REFUSALS: Record<Exclude<RevealClaim['outcome'], 'revealed'>, () => RevealPage> = {
  unknown: () => page(404, 'This link is not valid', `<p>Check that you opened the whole link from your welcome email.</p>${ASK_IT}`),
  superseded: () => page(410, 'This link was replaced', '<p>A newer welcome email was sent to you: use the link in that one.</p>'),
  already_revealed: () => page(410, 'This password was already shown', `<p>The link shows the initial password once only, and it has been used.</p>${ASK_IT}`),
  expired: () => page(410, 'This link has expired', `<p>The link was valid for a limited time only.</p>${ASK_IT}`),
};

const audit = (record: CredentialRecord, at: string, change: string): AuditEntry => ({
  at,
  employeeId: record.employeeId,
  runId: record.runId,
  actor: ACTOR,
  change,
  ...(record.tokenIssuedAt ? { detail: { linkIssuedAt: record.tokenIssuedAt } } : {}),
});

/** An expired, unrevealed password is of no more use to anyone: it leaves the table, and the audit trail says so. */
async function deleteExpired(deps: RevealDeps, record: CredentialRecord, now: string): Promise<void> {
  try {
    if (await deps.store.deleteExpiredCredential(record, now)) {
      await deps.store.appendAudit([audit(record, now, 'unrevealed initial password deleted: its link expired')]);
    }
  } catch (err) {
    // The page still refuses; the TTL deletes the record later.
    deps.log.error('expired initial password not deleted', { employeeId: record.employeeId, runId: record.runId, ...errorFields(err) });
  }
}

/** GET: burns nothing (the only write is deleting a password whose link already expired). A valid link gets a button that POSTs to the same address. */
export async function welcomePage(deps: RevealDeps, token: string): Promise<RevealPage> {
  if (!isWellFormedToken(token)) return REFUSALS.unknown();
  const record = await deps.store.findByRevealToken(revealTokenHash(token));
  const now = deps.clock.now().toISOString();
  if (!record) return REFUSALS.unknown();
  if (record.revealedAt || !record.ciphertext) return REFUSALS.already_revealed();
  if (record.expiresAt <= now) {
    await deleteExpired(deps, record, now);
    return REFUSALS.expired();
  }
  return page(
    200,
    'Your initial password',
    `<p>Your initial password is shown <strong>once only</strong>. Have somewhere private to type it before you continue.</p>
<form method="post"><button type="submit">Show my password</button></form>
<p>You will choose your own password when you first sign in.</p>`,
  );
}

/** POST: exactly one request ever gets the password; the rest get why not. */
export async function revealPassword(deps: RevealDeps, token: string): Promise<RevealPage> {
  if (!isWellFormedToken(token)) return REFUSALS.unknown();
  const now = deps.clock.now().toISOString();
  const claim = await deps.store.claimReveal(revealTokenHash(token), now);
  if (claim.outcome !== 'revealed') {
    if (claim.record) await deps.store.appendAudit([audit(claim.record, now, `initial password reveal refused: ${claim.outcome.replace('_', ' ')}`)]);
    if (claim.outcome === 'expired' && claim.record) await deleteExpired(deps, claim.record, now);
    return REFUSALS[claim.outcome]();
  }
  const { record, ciphertext } = claim;
  let password: string;
  try {
    password = await deps.sealer.open(ciphertext, { employeeId: record.employeeId });
  } catch (err) {
    // The claim is undone so the same link works once the key service answers again.
    deps.log.error('initial password could not be opened', { employeeId: record.employeeId, runId: record.runId, ...errorFields(err) });
    await deps.store.releaseReveal(record, ciphertext, now).catch((releaseErr: unknown) =>
      deps.log.error('claimed initial password could not be put back', { employeeId: record.employeeId, runId: record.runId, ...errorFields(releaseErr) }),
    );
    return page(503, 'Please try again in a few minutes', '<p>Your password could not be shown just now. The link still works: open it again a little later.</p>');
  }
  // The password is already out of the table: a failed audit write must not lose it for good.
  await deps.store
    .appendAudit([audit(record, now, 'initial password revealed through the one-time link')])
    .catch((err: unknown) => deps.log.error('reveal audit entry not written', { employeeId: record.employeeId, runId: record.runId, ...errorFields(err) }));
  return page(
    200,
    'Your initial password',
    `<p><code>${escapeHtml(password)}</code></p>
<p>This page will not show it again. Sign in with your company address and this password; you will then choose your own.</p>`,
  );
}
