/** A mover's change of access as the API answers it (`moverDiff`): added now, removed after the grace date, kept. */
import type { AccessItem, MoverDiffView } from '../../../lambdas/engine/model';
import { Head } from '../ui';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const what = (i: AccessItem) => (i.key ? `${i.label}: ${i.key}` : i.label);

export function MoverDiffTable({ diff }: { diff: MoverDiffView }) {
  // A single value (or custom schema field) the new role sets differently is replaced on the effective date, not
  // removed after the grace period: shown as one change.
  const same = (a: AccessItem, b: AccessItem) => a.kind !== 'list' && a.field === b.field && a.key === b.key;
  const replaced = diff.removed.filter((r) => diff.added.some((a) => same(a, r)));
  const rows: [string, AccessItem, AccessItem?][] = [
    ...diff.added.map((i): [string, AccessItem, AccessItem?] => {
      const was = replaced.find((r) => same(i, r));
      return was ? ['changed', i, was] : ['added', i];
    }),
    ...diff.removed.filter((i) => !replaced.includes(i)).map((i): [string, AccessItem] => ['removed', i]),
    ...diff.kept.map((i): [string, AccessItem] => ['kept', i]),
  ];
  return (
    <section aria-label="Access change">
      <p>
        {diff.previousKnown && diff.from ? (
          <>
            From role <strong>{diff.from}</strong> to <strong>{diff.to}</strong>.
          </>
        ) : (
          <>
            To role <strong>{diff.to}</strong>. {diff.note ?? 'No earlier role is on record: everything it grants is listed as added.'}
          </>
        )}{' '}
        {rows.some(([c]) => c === 'removed') && `Access only the old role gave is kept until the grace date, ${diff.graceDate}, then removed.`}
      </p>
      {rows.length === 0 ? (
        <p class="muted">No access changes.</p>
      ) : (
        <table class="diff">
          <caption>Access change</caption>
          <Head columns={['Change', 'Access', 'Value', 'Granted by']} />
          <tbody>
            {rows.map(([change, i, was], n) => (
              <tr key={n} class={`change-${change}`}>
                <td>{change === 'removed' ? `removed on ${diff.graceDate}` : change}</td>
                <th scope="row">{what(i)}</th>
                <td>
                  {was && (
                    <>
                      <code>{show(was.value)}</code> →{' '}
                    </>
                  )}
                  <code>{show(i.value)}</code>
                </td>
                <td>
                  {i.grantedBy}
                  {i.previouslyGrantedBy ? <span class="muted small"> (before: {i.previouslyGrantedBy})</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
