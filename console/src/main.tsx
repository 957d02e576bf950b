/** The operator console: sign-in, the page shell with its navigation, and the page for the URL. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { api } from './api';
import { currentToken, loadConfig, onAuthChange, signIn, signOut, type ConsoleConfig } from './auth';
import { MeContext, type Me } from './me';
import { usePath } from './router';
import { Link, Problem } from './ui';
import { EmployeePage, EmployeeSearch } from './pages/Employee';
import { NeedsAttention } from './pages/NeedsAttention';
import { RunPage } from './pages/RunPage';
import { Runs } from './pages/Runs';
import { Upcoming } from './pages/Upcoming';

const NAV: [string, string][] = [
  ['/', 'Needs attention'],
  ['/runs', 'Runs'],
  ['/upcoming', 'Upcoming'],
  ['/employees', 'Employees'],
];

function Page({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return <NeedsAttention />;
  if (parts[0] === 'runs' && parts.length === 1) return <Runs />;
  if (parts[0] === 'upcoming' && parts.length === 1) return <Upcoming />;
  if (parts[0] === 'runs' && parts.length === 3) return <RunPage employeeId={parts[1]} runId={parts[2]} />;
  if (parts[0] === 'employees' && parts.length === 1)
    return (
      <section aria-labelledby="employees">
        <h1 id="employees">Employees</h1>
        <EmployeeSearch />
      </section>
    );
  if (parts[0] === 'employees' && parts.length === 2) return <EmployeePage id={parts[1]} />;
  return (
    <section aria-labelledby="not-found">
      <h1 id="not-found">Not found</h1>
      <p>
        The console has no page at {path}. <Link href="/">Back to what needs attention</Link>.
      </p>
    </section>
  );
}

function SignIn({ config }: { config?: ConsoleConfig }) {
  return (
    <main id="main" class="signin">
      <h1>Sign in to account-lifecycle</h1>
      {!config && <p>Loading…</p>}
      {config?.auth === 'local' && (
        <>
          <p>Local run: choose who you are. Each is one of the local operator tokens that <code>npm start</code> prints.</p>
          <ul class="identities">
            {config.identities.map((i) => (
              <li key={i.name}>
                <button type="button" onClick={() => signIn(i.token)}>
                  {i.name} <span class="muted">({i.groups.join(', ')})</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

function App() {
  const [token, setToken] = useState(currentToken());
  const [config, setConfig] = useState<ConsoleConfig>();
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();
  const path = usePath();
  useEffect(() => onAuthChange(() => setToken(currentToken())), []);
  useEffect(() => {
    loadConfig().then(setConfig, (err: unknown) => setError(String(err)));
  }, []);
  useEffect(() => {
    setMe(undefined);
    if (token) api<Me>('/v1/me').then(setMe, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [token]);
  if (!token) return <SignIn config={config} />;
  return (
    <MeContext.Provider value={me}>
      <a href="#main" class="skip">
        Skip to content
      </a>
      <header>
        <nav aria-label="Console">
          <span class="brand">account-lifecycle</span>
          <ul>
            {NAV.map(([href, label]) => (
              <li key={href}>
                <Link href={href} class={(href === '/' ? path === '/' : path.startsWith(href)) ? 'current' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
          <span class="who">
            {me ? `${me.name ?? me.subject} (${me.groups.join(', ')})` : ''}{' '}
            <button type="button" class="secondary" onClick={signOut}>
              Sign out
            </button>
          </span>
        </nav>
      </header>
      <main id="main">
        <Problem error={error} />
        <Page path={path} />
      </main>
    </MeContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
