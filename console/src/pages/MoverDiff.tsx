/** A mover's change of access as the API answers it (`moverDiff`): added now, removed after the grace date, kept. */
import type { AccessItem, MoverDiffView } from '../../../lambdas/engine/model';
import { Head } from '../ui';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const what = (i: AccessItem) => (i.key ? `${i.label}: ${i.key}` : i.label);

export function MoverDiffTable({ diff }: { diff: MoverDiffView }) {
  const rows: [string, AccessItem][] = [
    ...diff.added.map((i): [string, AccessItem] => ['added', i]),
    ...diff.removed.map((i): [string, AccessItem] => ['removed', i]),
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
        {diff.removed.length > 0 && `Access only the old role gave is kept until the grace date, ${diff.graceDate}, then removed.`}
      </p>
      {rows.length === 0 ? (
        <p class="muted">No access changes.</p>
      ) : (
        <table class="diff">
          <caption>Access change</caption>
          <Head columns={['Change', 'Access', 'Value', 'Granted by']} />
          <tbody>
            {rows.map(([change, i], n) => (
              <tr key={n} class={`change-${change}`}>
                <td>{change === 'removed' ? `removed on ${diff.graceDate}` : change}</td>
                <th scope="row">{what(i)}</th>
                <td>
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
