/** Directory API per-user credentials a leaver must lose: OAuth tokens, app-specific passwords, backup codes, 2-Step Verification. */
import type { EmulatorRoute } from '../server';
import { fail } from './errors';
import { api, compact, noContent, ok } from './http';
import type { AspRecord, TokenRecord, UserRecord, WorkspaceStore } from './state';

const USER = '/admin/directory/v1/users/:userKey';

function tokenResource(store: WorkspaceStore, t: TokenRecord) {
  const body = {
    kind: 'admin#directory#token',
    clientId: t.clientId,
    displayText: t.displayText,
    anonymous: t.anonymous,
    nativeApp: t.nativeApp,
    scopes: t.scopes,
    userKey: t.userId,
  };
  return { ...body, etag: store.etag(body) };
}

function aspResource(store: WorkspaceStore, a: AspRecord) {
  // creationTime and lastTimeUsed are int64 milliseconds, which JSON carries as strings.
  const body = { kind: 'admin#directory#asp', codeId: a.codeId, name: a.name, creationTime: String(a.creationTime), lastTimeUsed: String(a.lastTimeUsed), userKey: a.userId };
  return { ...body, etag: store.etag(body) };
}

/** Ten eight-digit backup codes, as Google issues them. */
export function generateVerificationCodes(store: WorkspaceStore, user: UserRecord): void {
  store.state.verificationCodes = store.state.verificationCodes.filter((c) => c.userId !== user.id);
  for (let i = 0; i < 10; i += 1) {
    const code = String(10000000 + ((store.next() * 7919 + i * 104729) % 90000000));
    store.state.verificationCodes.push({ userId: user.id, code });
  }
}

/**
 * Backup codes of a suspended user can be neither generated nor invalidated: Google answers 400 "Invalid Input"
 * (reason invalid), as googleapis/google-api-go-client#978 ("users with disabled status cannot generate verification
 * code") and taers232c/GAMADV-XTD3#240 (deprovision: "Backup Verification Codes Deprovision Failed: Invalid Input") show.
 */
function activeForCodes(user: UserRecord): UserRecord {
  if (user.suspended) throw fail.invalid('Invalid Input');
  return user;
}

export function securityRoutes(store: WorkspaceStore): EmulatorRoute[] {
  const s = () => store.state;
  const findToken = (userId: string, clientId: string) => {
    const token = s().tokens.find((t) => t.userId === userId && t.clientId === clientId);
    if (!token) throw fail.notFound('clientId');
    return token;
  };
  const findAsp = (userId: string, codeId: string) => {
    const n = Number(codeId);
    if (!Number.isInteger(n)) throw fail.invalid(`Invalid value '${codeId}'. Values must be an integer.`);
    const asp = s().asps.find((a) => a.userId === userId && a.codeId === n);
    if (!asp) throw fail.notFound('codeId');
    return asp;
  };
  return [
    api('GET', `${USER}/tokens`, (req) => {
      const user = store.requireUser(req.params[0]);
      const items = s().tokens.filter((t) => t.userId === user.id).map((t) => tokenResource(store, t));
      return ok(compact({ kind: 'admin#directory#tokenList', etag: store.etag(items), items }));
    }),
    api('GET', `${USER}/tokens/:clientId`, (req) => ok(tokenResource(store, findToken(store.requireUser(req.params[0]).id, req.params[1])))),
    api('DELETE', `${USER}/tokens/:clientId`, (req) => {
      const token = findToken(store.requireUser(req.params[0]).id, req.params[1]);
      s().tokens = s().tokens.filter((t) => t !== token);
      return noContent();
    }),
    api('GET', `${USER}/asps`, (req) => {
      const user = store.requireUser(req.params[0]);
      const items = s().asps.filter((a) => a.userId === user.id).map((a) => aspResource(store, a));
      return ok(compact({ kind: 'admin#directory#aspList', etag: store.etag(items), items }));
    }),
    api('GET', `${USER}/asps/:codeId`, (req) => ok(aspResource(store, findAsp(store.requireUser(req.params[0]).id, req.params[1])))),
    api('DELETE', `${USER}/asps/:codeId`, (req) => {
      const asp = findAsp(store.requireUser(req.params[0]).id, req.params[1]);
      s().asps = s().asps.filter((a) => a !== asp);
      return noContent();
    }),
    api('GET', `${USER}/verificationCodes`, (req) => {
      const user = store.requireUser(req.params[0]);
      const items = s()
        .verificationCodes.filter((c) => c.userId === user.id)
        .map((c) => {
          const body = { kind: 'admin#directory#verificationCode', userId: user.id, verificationCode: c.code };
          return { ...body, etag: store.etag(body) };
        });
      return ok(compact({ kind: 'admin#directory#verificationCodesList', etag: store.etag(items), items }));
    }),
    api('POST', `${USER}/verificationCodes/generate`, (req) => {
      generateVerificationCodes(store, activeForCodes(store.requireUser(req.params[0])));
      return noContent();
    }),
    api('POST', `${USER}/verificationCodes/invalidate`, (req) => {
      const user = activeForCodes(store.requireUser(req.params[0]));
      s().verificationCodes = s().verificationCodes.filter((c) => c.userId !== user.id);
      return noContent();
    }),
    api('POST', `${USER}/twoStepVerification/turnOff`, (req) => {
      const user = store.requireUser(req.params[0]);
      user.isEnrolledIn2Sv = false;
      return noContent();
    }),
  ];
}
