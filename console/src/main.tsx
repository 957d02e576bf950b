/** The operator console: sign-in, the page shell with its navigation, and the page for the URL. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { api } from './api';
import { currentToken, expiredOrRefused, loadConfig, onAuthChange, signIn, signOut, type ConsoleConfig } from './auth';
import { isCallback, SignInCallback } from './callback';
import { startSignIn } from './cognito';
import { MeContext, type Me } from './me';
import { announcePage, usePath } from './router';
import { Link, Problem } from './ui';
import { EmployeePage, EmployeeSearch } from './pages/Employee';
import { NeedsAttention } from './pages/NeedsAttention';
import { RunPage } from './pages/RunPage';
import { Runs } from './pages/Runs';
import { Upcoming } from './pages/Upcoming';
import { RolePage, Roles } from './pages/Roles';
import { NewEvent } from './pages/NewEvent';
import { Import } from './pages/Import';
import { Consolidation } from './pages/Consolidation';

const NAV: [string, string][] = [
  ['/', 'Needs attention'],
  ['/runs', 'Runs'],
  ['/upcoming', 'Upcoming'],
  ['/employees', 'Employees'],
  ['/roles', 'Roles'],
  ['/events/new', 'New event'],
  ['/import', 'Import'],
  ['/consolidation', 'Consolidation'],
];

/** The path's parts, decoded; undefined for a path that is not valid percent-encoding (it gets the Not found page). */
function partsOf(path: string): string[] | undefined {
  try {
    return path.split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function Page({ path }: { path: string }) {
  const parts = partsOf(path) ?? ['(not found)'];
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
  if (parts[0] === 'roles' && parts.length === 1) return <Roles />;
  if (parts[0] === 'roles' && parts.length === 2) return <RolePage name={parts[1]} />;
  if (parts[0] === 'events' && parts[1] === 'new' && parts.length === 2) return <NewEvent />;
  if (parts[0] === 'import' && parts.length === 1) return <Import />;
  if (parts[0] === 'consolidation' && parts.length === 1) return <Consolidation />;
  return (
    <section aria-labelledby="not-found">
      <h1 id="not-found">Not found</h1>
      <p>
        The console has no page at {path}. <Link href="/">Back to what needs attention</Link>.
      </p>
    </section>
  );
}

function SignIn({ config, why, configError }: { config?: ConsoleConfig; why?: string; configError?: string }) {
  const [pasted, setPasted] = useState('');
  return (
    <main id="main" class="signin">
      <h1>Sign in to account-lifecycle</h1>
      {why && <p role="alert" class="problem">{why}</p>}
      {configError && <Problem error={`The console's settings could not be read: ${configError}`} />}
      {!config && !configError && <p>Loading…</p>}
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
          <form
            class="search"
            onSubmit={(e) => {
              e.preventDefault();
              if (pasted.trim()) signIn(pasted.trim());
            }}
          >
            <label>
              Or a token set with LIFECYCLE_OPERATOR_TOKEN <input type="password" autoComplete="off" value={pasted} onInput={(e) => setPasted((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit">Sign in</button>
          </form>
        </>
      )}
      {config?.auth === 'cognito' && (
        <>
          <p>Sign in with your operator account. What you may do follows your groups: viewer, operator, approver.</p>
          <button type="button" onClick={() => void startSignIn(config)}>
            Sign in
          </button>
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
  const [configError, setConfigError] = useState<string>();
  const [why, setWhy] = useState<string>();
  const path = usePath();
  useEffect(
    () =>
      onAuthChange(() => {
        const next = currentToken();
        // Signed out by a 401 (not by the button): the sign-in page says so.
        if (!next) setWhy(expiredOrRefused());
        setToken(next);
      }),
    [],
  );
  useEffect(() => {
    loadConfig().then(setConfig, (err: unknown) => setConfigError(String(err)));
  }, []);
  useEffect(() => {
    setMe(undefined);
    setError(undefined);
    if (token) {
      setWhy(undefined);
      api<Me>('/v1/me').then(setMe, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    }
  }, [token]);
  // A new page: its title and focus (the first render included, once its heading is there). Not a new filter on the
  // same page: whoever is choosing filters keeps the focus where it is.
  const page = path.split('?')[0];
  useEffect(() => announcePage(), [page, token]);
  if (isCallback(path)) return <SignInCallback config={config} configError={configError} />;
  if (!token) return <SignIn config={config} why={why} configError={configError} />;
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
                <Link href={href} current={href === '/' ? path.split('?')[0] === '/' : path.startsWith(href)}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
          <span class="who">
            {me ? `${me.name ?? me.subject} (${me.groups.join(', ')})` : ''}{' '}
            <button type="button" class="secondary" onClick={() => signOut()}>
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
