/** /console/callback: where the hosted sign-in sends a person back with a code; it signs them in and goes on. */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleConfig } from './auth';
import { finishSignIn, startSignIn } from './cognito';
import { BASE } from './router';
import { Problem } from './ui';

/** Whether the console's path (below /console, with its query) is the sign-in callback. */
export const isCallback = (path: string): boolean => path === '/callback' || path.startsWith('/callback?');

export function SignInCallback({ config, configError }: { config?: ConsoleConfig; configError?: string }) {
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (config?.auth !== 'cognito') return;
    // The code is used once: the query leaves the address bar before the exchange, so a reload cannot replay it.
    const search = location.search;
    history.replaceState(null, '', `${BASE}/callback`);
    finishSignIn(config, search).then(
      (returnTo) => {
        history.replaceState(null, '', `${BASE}${returnTo}`);
        dispatchEvent(new PopStateEvent('popstate'));
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [config]);
  return (
    <main id="main" class="signin">
      <h1>Signing in…</h1>
      {configError && <Problem error={`The console's settings could not be read: ${configError}`} />}
      {config && config.auth !== 'cognito' && <Problem error="This console does not sign in with Cognito: there is nothing to finish here." />}
      <Problem error={error && `Sign-in failed: ${error}.`} />
      {error && config?.auth === 'cognito' && (
        <button type="button" onClick={() => void startSignIn(config, '/')}>
          Sign in again
        </button>
      )}
    </main>
  );
}
