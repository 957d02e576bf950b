/**
 * Where the hosted sign-in sends the browser back to: `http://localhost:<port>/callback`. Cognito matches callback
 * URLs character for character (port included), so the CLI's app client registers this one; another port is a
 * `--port` away once it is registered too.
 */
export const LOGIN_CALLBACK_PORT = 47813;
export const LOGIN_CALLBACK_PATH = '/callback';

/** Cognito takes plain http only for localhost, so the URL names localhost while the listener binds 127.0.0.1. */
export const loginCallbackUrl = (port: number = LOGIN_CALLBACK_PORT): string => `http://localhost:${port}${LOGIN_CALLBACK_PATH}`;

/** The scopes `lifecycle login` asks for: an ID token (openid) with the person's name and email for the audit trail. */
export const LOGIN_SCOPES = ['openid', 'email', 'profile'] as const;
