/**
 * Where the hosted sign-in sends the browser back to: `http://localhost:<port>/callback`. Cognito matches callback
 * URLs character for character, port included, so the CLI's app client registers one URL per port of
 * LOGIN_CALLBACK_PORTS and the CLI listens on the first of them that is free (`--port` picks one).
 */
export const LOGIN_CALLBACK_PORTS = [8976, 8977, 8978] as const;
export const LOGIN_CALLBACK_PATH = '/callback';

/** Cognito takes plain http only for localhost, so the URL names localhost while the listener binds 127.0.0.1. */
export const loginCallbackUrl = (port: number = LOGIN_CALLBACK_PORTS[0]): string => `http://localhost:${port}${LOGIN_CALLBACK_PATH}`;

/** The scopes `lifecycle login` asks for: openid (which the API's operator routes accept), and name and email for whoami. */
export const LOGIN_SCOPES = ['openid', 'email', 'profile'] as const;
