/** The names a Google custom schema and its fields may have, checked wherever a name comes from a role or a step. */
import * as z from '../shared/zod';

/**
 * Letters, digits and underscores, starting with a letter, at most 100 characters. Google's reference for
 * schemas.insert states no pattern for schemaName or fieldName; this conservative one keeps a name usable as a
 * key in users.patch customSchemas and in a user search (`schema.field=value`).
 */
export const CUSTOM_SCHEMA_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

/** Names that are JavaScript object machinery: refused outright, whatever the pattern says. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `name` cannot be a custom schema or field name, or undefined when it can. */
export function customSchemaNameProblem(name: string, what: 'schema' | 'field'): string | undefined {
  if (RESERVED.has(name)) return `${what} name ${JSON.stringify(name)} is reserved`;
  if (!CUSTOM_SCHEMA_NAME.test(name)) {
    return `${what} name ${JSON.stringify(name)} must be letters, digits and underscores, start with a letter, and be at most 100 characters`;
  }
  return undefined;
}

/**
 * Step parameters of the users.insert/patch customSchemas shape (`{ schema: { field: value } }`), names checked on
 * the value as given: a plain record schema would drop a `__proto__` key silently and report any other bad key
 * only as "Invalid key in record".
 */
export const customSchemaValues = z.pipe(
  z.unknown().check(
    z.superRefine((raw, ctx) => {
      if (!raw || typeof raw !== 'object') return;
      for (const [schema, fields] of Object.entries(raw)) {
        const problem = customSchemaNameProblem(schema, 'schema');
        if (problem) ctx.addIssue({ code: 'custom', path: [schema], message: problem });
        if (!fields || typeof fields !== 'object') continue;
        for (const field of Object.keys(fields)) {
          const fieldProblem = customSchemaNameProblem(field, 'field');
          if (fieldProblem) ctx.addIssue({ code: 'custom', path: [schema, field], message: fieldProblem });
        }
      }
    }),
  ),
  z.record(z.string(), z.record(z.string(), z.unknown())),
);
