/** A mover's change of access (the engine's RoleDiff): what is added, removed after the grace period, changed and kept. */
import type { RoleDiff } from '../../../lambdas/roles/diff';
import { GRANT_FIELDS, type GrantField } from '../../../lambdas/roles/role-model';
import { Head } from '../ui';

type Change = 'added' | 'removed' | 'changed' | 'kept';
interface Row {
  change: Change;
  access: string;
  value: string;
  by: string;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const label = (field: string) => GRANT_FIELDS[field as GrantField]?.label ?? field;

/** The diff as rows, added first, then removed, changed and kept. */
export function diffRows(diff: RoleDiff): Row[] {
  const rows: Row[] = [];
  for (const [field, d] of Object.entries(diff.single)) {
    if (!d) continue;
    if (d.kept) rows.push({ change: 'kept', access: label(field), value: show(d.kept.value), by: d.kept.grantedBy });
    else if (d.changed.to && d.changed.from)
      rows.push({ change: 'changed', access: label(field), value: `${show(d.changed.from.value)} → ${show(d.changed.to.value)}`, by: d.changed.to.grantedBy });
    else if (d.changed.to) rows.push({ change: 'added', access: label(field), value: show(d.changed.to.value), by: d.changed.to.grantedBy });
    else if (d.changed.from) rows.push({ change: 'removed', access: label(field), value: show(d.changed.from.value), by: d.changed.from.grantedBy });
  }
  for (const [field, d] of Object.entries(diff.lists)) {
    for (const g of d.added) rows.push({ change: 'added', access: label(field), value: show(g.value), by: g.grantedBy });
    for (const g of d.removed) rows.push({ change: 'removed', access: label(field), value: show(g.value), by: g.grantedBy });
    for (const g of d.kept) rows.push({ change: 'kept', access: label(field), value: show(g.value), by: g.grantedBy });
  }
  for (const [field, d] of Object.entries(diff.maps)) {
    for (const [k, g] of Object.entries(d.set)) rows.push({ change: 'added', access: `${label(field)}: ${k}`, value: show(g.value), by: g.grantedBy });
    for (const [k, g] of Object.entries(d.removed)) rows.push({ change: 'removed', access: `${label(field)}: ${k}`, value: show(g.value), by: g.grantedBy });
    for (const [k, c] of Object.entries(d.changed)) rows.push({ change: 'changed', access: `${label(field)}: ${k}`, value: `${show(c.from.value)} → ${show(c.to.value)}`, by: c.to.grantedBy });
    for (const [k, g] of Object.entries(d.kept)) rows.push({ change: 'kept', access: `${label(field)}: ${k}`, value: show(g.value), by: g.grantedBy });
  }
  const order: Change[] = ['added', 'removed', 'changed', 'kept'];
  return rows.sort((a, b) => order.indexOf(a.change) - order.indexOf(b.change));
}

/** `graceUntil`: the date old access is removed (a removal waits that long after the effective date). */
export function RoleDiffTable({ diff, graceUntil }: { diff: RoleDiff; graceUntil?: string }) {
  const rows = diffRows(diff);
  return (
    <>
      <p>
        {diff.from ? (
          <>
            From role <strong>{diff.from}</strong> to <strong>{diff.to}</strong>.
          </>
        ) : (
          <>
            To role <strong>{diff.to}</strong>; no earlier role is on record, so everything it grants is added.
          </>
        )}{' '}
        {graceUntil && rows.some((r) => r.change === 'removed') ? `Access only the old role gave is kept until ${graceUntil}, then removed.` : ''}
      </p>
      {rows.length === 0 ? (
        <p class="muted">No access changes.</p>
      ) : (
        <table class="diff">
          <caption>Access change</caption>
          <Head columns={['Change', 'Access', 'Value', 'Granted by']} />
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} class={`change-${r.change}`}>
                <td>{r.change === 'removed' && graceUntil ? `removed ${graceUntil}` : r.change}</td>
                <th scope="row">{r.access}</th>
                <td>
                  <code>{r.value}</code>
                </td>
                <td>{r.by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
