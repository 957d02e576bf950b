/** Pages by URL under /console/: links push history, the back button and deep links work. */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';

export function navigate(path: string): void {
  history.pushState(null, '', `${BASE}${path}`);
  dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * After a page change: the title names the page, and focus moves to its heading, so a screen reader says where it is.
 * A page that is still loading gets its heading a moment later: looked for again for up to two seconds. Answers a
 * function that stops looking (the page changed again).
 */
export function announcePage(): () => void {
  let tries = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = () => {
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (!h1) {
      if (++tries < 40) timer = setTimeout(look, 50);
      return;
    }
    document.title = `${h1.textContent ?? ''} · account-lifecycle`;
    h1.tabIndex = -1;
    h1.focus();
  };
  timer = setTimeout(look, 0);
  return () => clearTimeout(timer);
}

/** The path below /console with its query, e.g. "/runs?status=completed": a page re-renders when either changes. */
export function usePath(): string {
  const read = () => (location.pathname.slice(BASE.length) || '/') + location.search;
  const [path, setPath] = useState(read());
  useEffect(() => {
    const on = () => setPath(read());
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return path;
}

/** A link inside the console: a real href (open in a new tab works), handled here on a plain click. */
export function onLink(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? undefined;
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate((a.pathname.slice(BASE.length) || '/') + a.search);
}

/** A run's page: the one place its URL is made. */
export const runPath = (employeeId: string, runId: string): string => `/runs/${encodeURIComponent(employeeId)}/${encodeURIComponent(runId)}`;

/** An employee's page. */
export const employeePath = (employeeId: string): string => `/employees/${encodeURIComponent(employeeId)}`;
