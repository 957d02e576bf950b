/**
 * Undoes google.updateCustomSchemas: writes back the value each changed field had before (a field that was not set is
 * cleared again), as google.updateCustomSchemas writes them, with users.update and a read-back.
 */
import * as z from '../../shared/zod';
import { dict, own } from '../../shared/dict';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { nothingToRestore } from './restore-target';
import { googleAccount } from './google-account';
import { updateCustomSchemas } from './update-custom-schemas';

export const restoreCustomSchemas = defineAction({
  name: 'google.restoreCustomSchemas',
  account: googleAccount(),
  params: z.strictObject({
    /** google.updateCustomSchemas' result: each changed field's previous value (null: it was not set). */
    result: z.nullish(z.object({ previous: z.nullish(z.record(z.string(), z.record(z.string(), z.unknown()))), changed: z.nullish(z.array(z.string())) })),
  }),
  async run(ctx, { result }, request, checked) {
    const previous = result?.previous ?? {};
    // Keyed by schema and field names from the role (Notion) and from Google.
    const set: Record<string, Record<string, unknown>> = dict();
    const remove: string[] = [];
    for (const [schema, fields] of Object.entries(previous)) {
      for (const [field, value] of Object.entries(fields)) {
        if (value === null || value === undefined) remove.push(`${schema}.${field}`);
        else (own(set, schema) ?? (set[schema] = dict()))[field] = value;
      }
    }
    if (!remove.length && !Object.keys(set).length) return nothingToRestore('the run changed no custom schema field');
    // Checked as the update's own parameters: a recorded name Google would refuse fails here, before anything is sent.
    const params = z.safeParse(updateCustomSchemas.params, { set, remove });
    if (!params.success) throw new ProviderError(`the recorded custom schema values cannot be written back: ${params.error.issues.map((i) => i.message).join('; ')}`, false);
    const res = await updateCustomSchemas.run(ctx, params.data, request, checked);
    return { ...res, note: res.note?.replace(/custom schema fields are already as asked/, 'custom schema fields already back as they were') };
  },
});
