/** Small pieces every page uses: loading a resource, time stamps, statuses, a link. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { BASE, onLink } from './router';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (again whenever it changes or `reload` is called). */
export function useApi<T>(path: string | undefined): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path)
      .then((data) => live && setState({ data, loading: false }))
      .catch((err: unknown) => live && setState({ error: err instanceof Error ? err.message : String(err), loading: false }));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Link(props: { href: string; children: ComponentChildren; class?: string; current?: boolean }) {
  return (
    <a href={`${BASE}${props.href}`} onClick={onLink} class={props.current ? 'current' : props.class} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

/** A time in the viewer's time zone, with the full ISO time on hover. */
export function When({ at }: { at?: string }) {
  if (!at) return <span class="muted">—</span>;
  const d = new Date(at);
  return <time dateTime={at} title={at}>{d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>;
}

export function Status({ value }: { value: string }) {
  return <span class={`status status-${value}`}>{value.replace(/_/g, ' ')}</span>;
}

export function Problem({ error }: { error?: string }) {
  return error ? <p role="alert" class="problem">{error}</p> : null;
}

export function Loading({ when }: { when: boolean }) {
  return when ? <p class="muted" aria-live="polite">Loading…</p> : null;
}

/** A table's header row: one column header per name. */
export function Head({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A decision that needs a reason (skip, reject): the reason goes to the audit trail. `onCancel` offers a way back. */
export function ReasonForm(props: {
  question: string;
  submit: string;
  reason: string;
  setReason: (reason: string) => void;
  onSubmit: () => void;
  onCancel?: () => void;
  busy?: boolean;
  danger?: boolean;
}) {
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <label>
        {props.question}
        <input required minLength={3} value={props.reason} onInput={(e) => props.setReason((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class={props.danger ? 'danger' : undefined} disabled={props.busy}>
        {props.submit}
      </button>
      {props.onCancel && (
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      )}
    </form>
  );
}
