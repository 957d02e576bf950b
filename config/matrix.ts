/**
 * The stage's optional `matrix` setting: the bot that takes `!on`, `!status` and `!help` in chat rooms (docs/matrix.md).
 * The bot's access token is in the stage's Matrix secret on AWS (and a local default for npm start), never here.
 */
import * as z from './zod';

/** A Matrix user id, `@localpart:server`. */
export const MATRIX_USER_ID = /^@[a-z0-9._=\-/+]+:[A-Za-z0-9.-]+(:\d{1,5})?$/;
/** A room id, `!opaque:server` (an alias, `#name:server`, is resolved by joining it). */
export const MATRIX_ROOM = /^[!#][^:\s]+:[A-Za-z0-9.-]+(:\d{1,5})?$/;

export const matrixSchema = z.strictObject({
  /** The homeserver's client-server API base, where /_matrix/client is (`https://matrix.example.org`). */
  homeserverUrl: z.url({ protocol: /^https?$/, error: 'matrix.homeserverUrl must be an http(s) URL: the homeserver, where /_matrix/client is' }),
  /** The bot's own user id; its access token is the stage's Matrix secret. */
  userId: z.string().check(z.regex(MATRIX_USER_ID, { error: 'matrix.userId must be a Matrix user id such as @lifecycle:example.org' })),
  /** The rooms the bot joins and answers in (room ids or aliases); messages elsewhere are ignored. */
  rooms: z
    .array(z.string().check(z.regex(MATRIX_ROOM, { error: 'matrix.rooms must hold room ids (!abc:example.org) or aliases (#ask-the-bot:example.org)' })))
    .check(z.minLength(1, { error: 'matrix.rooms must name at least one room' }), z.maxLength(20, { error: 'matrix.rooms may name at most 20 rooms' })),
  /** The power level (m.room.power_levels) a sender needs in the room for the bot to answer them; others are ignored. */
  powerLevel: z._default(z.int().check(z.gte(0, { error: 'matrix.powerLevel must be from 0 to 100' }), z.lte(100, { error: 'matrix.powerLevel must be from 0 to 100' })), 50),
  /** Days after the `!on` message that a proposed hire's first day falls on (an approver can still change it by a new event). */
  startInDays: z._default(z.int().check(z.gte(0, { error: 'matrix.startInDays must be from 0 to 365' }), z.lte(365, { error: 'matrix.startInDays must be from 0 to 365' })), 7),
  /** The time zone of a proposed hire (the bot asks for no more than a name and an email). */
  timezone: z._default(z.string().check(z.minLength(1)), 'UTC'),
  /** The role a proposed hire is planned from, when the stage gives newcomers one. */
  role: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  /** How long one /sync waits for news on the homeserver (its `timeout`), in ms. */
  syncTimeoutMs: z._default(z.int().check(z.gte(1000, { error: 'matrix.syncTimeoutMs must be from 1000 to 60000' }), z.lte(60000, { error: 'matrix.syncTimeoutMs must be from 1000 to 60000' })), 30000),
});

export type MatrixSettings = z.infer<typeof matrixSchema>;

/** Reads the setting a function was given (JSON in its environment), naming the field that is wrong; undefined when unset. */
export function parseMatrixSettings(raw: string | undefined): MatrixSettings | undefined {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('matrix: not valid JSON');
  }
  const parsed = matrixSchema.safeParse(json);
  if (!parsed.success) throw new Error(`matrix: ${parsed.error.issues.map((i) => `${['matrix', ...i.path].join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
