/**
 * Sets and clears custom schema fields on the employee's Google account, recording the value each changed or cleared
 * field had before. The write is users.update, not users.patch: patch "is unable to clear fields that contain repeated
 * objects" (users.patch reference), so a multi-valued field nulled by a patch stays as it was; update clears it. Update
 * "supports patch semantics": it keeps what it is not given, so only the changed fields are sent.
 */
import * as z from '../../shared/zod';
import type { GoogleClients } from '../../providers/google/google-clients';
import { google, googleFailure } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { customSchemaNameProblem, customSchemaValues } from '../../roles/custom-schema-names';
import { dict, own } from '../../shared/dict';
import { googleAddress, noAccount, notApplied, requireGoogleUser } from './google-user';
import { googleAccount } from './google-account';

type Schemas = Record<string, Record<string, unknown>>;

/** "schema.field" */
const fieldKey = z.string().check(
  z.refine<string>((key) => key.includes('.') && !keyProblem(key), { error: (i) => (String(i.input).includes('.') ? keyProblem(String(i.input)) : 'expected "schema.field"') }),
);
function keyProblem(key: string): string | undefined {
  const [schema, field] = split(key);
  return customSchemaNameProblem(schema, 'schema') ?? customSchemaNameProblem(field, 'field');
}

/** The value Google holds for schema.field; only own properties, so a schema named like Object's machinery reads as absent. */
const valueIn = (schemas: Schemas, schema: string, field: string) => own(own(schemas, schema), field);

/** Previous values an earlier attempt recorded before its write: a retry reads the new values and must not take them for the old. */
const earlierProgress = z.object({ previous: z.record(z.string(), z.record(z.string(), z.unknown())) });

/** Custom schema values are JSON: equal when they serialize the same; absent and null are both "not set". */
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const split = (key: string) => {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)] as const;
};

async function schemasOf(g: GoogleClients, email: string): Promise<Schemas> {
  return ((await requireGoogleUser(g, email)).customSchemas ?? {}) as Schemas;
}

export const updateCustomSchemas = defineAction({
  name: 'google.updateCustomSchemas',
  account: googleAccount({ removes: true }),
  params: z
    .strictObject({
      set: z._default(customSchemaValues, {}),
      remove: z._default(z.array(fieldKey), []),
    })
    .check(
      z.refine((p) => !p.remove.some((key) => { const [s, f] = split(key); return own(own(p.set, s), f) !== undefined; }), 'a field cannot be both set and removed'),
      z.refine((p) => Object.values(p.set).every((fields) => Object.values(fields).every((v) => v !== null && v !== undefined)), 'a value to set cannot be null: list the field under remove'),
    ),
  async run(ctx, { set, remove }, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    // Only clearing (a leaver's or a mover's removal): no account is nothing left to clear.
    if (checked === null && !Object.keys(set).length) return noAccount(email, 'clear custom schema fields of');
    const before = await schemasOf(g, email);

    // Keyed by schema and field names from the role (Notion) and from Google.
    const patch: Schemas = dict();
    const previous: Schemas = dict();
    const inner = (schemas: Schemas, schema: string) => own(schemas, schema) ?? (schemas[schema] = dict());
    const record = (schema: string, field: string, value: unknown) => {
      inner(patch, schema)[field] = value;
      inner(previous, schema)[field] = valueIn(before, schema, field) ?? null;
    };
    for (const [schema, fields] of Object.entries(set)) {
      for (const [field, value] of Object.entries(fields)) if (!same(valueIn(before, schema, field), value)) record(schema, field, value);
    }
    for (const key of remove) {
      const [schema, field] = split(key);
      if (!same(valueIn(before, schema, field), null)) record(schema, field, null);
    }
    const changed = Object.entries(patch).flatMap(([schema, fields]) => Object.keys(fields).map((f) => `${schema}.${f}`));
    if (!changed.length) return { ok: true, note: `${email}'s custom schema fields are already as asked`, result: { previous: {}, changed: [] } };

    // What an earlier attempt saw before writing is the real previous value.
    const earlier = earlierProgress.safeParse(request.progress);
    if (earlier.success) {
      for (const [schema, fields] of Object.entries(earlier.data.previous)) Object.assign(inner(previous, schema), fields);
    }
    try {
      // Only the fields this step changes go (a cleared field as null, a multi-valued field whole as its own value,
      // since update replaces a repeated value it is given): update keeps every field, schema and user property it is
      // not given, so a field another writer changed since the read is not reverted from it.
      await google(`updating custom schema fields ${changed.join(', ')} of ${email}`, () => g.directory.users.update({ userKey: email, requestBody: { customSchemas: patch } }));
      const after = await schemasOf(g, email);
      const wrong = changed.filter((key) => {
        const [schema, field] = split(key);
        return !same(valueIn(after, schema, field), patch[schema][field]);
      });
      if (wrong.length) throw notApplied(`updating custom schema fields of ${email}`, `users.get reports ${wrong.map((k) => `${k} = ${JSON.stringify(valueIn(after, ...split(k)) ?? null)}`).join(', ')}`);
    } catch (err) {
      const failure = err instanceof ProviderError ? err : googleFailure(err, `updating custom schema fields of ${email}`);
      throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer, { previous });
    }
    const cleared = changed.filter((key) => patch[split(key)[0]][split(key)[1]] === null);
    const written = changed.filter((key) => !cleared.includes(key));
    const parts = [written.length ? `set ${written.join(', ')}` : '', cleared.length ? `cleared ${cleared.join(', ')}` : ''].filter(Boolean);
    return { ok: true, note: `${parts.join('; ')} on ${email}`, result: { previous, changed } };
  },
});
