/** Who the bot answers: a sender whose power level in the room (its m.room.power_levels state) reaches the stage's setting. */

/** The parts of m.room.power_levels content the bot reads. */
export interface PowerLevelsContent {
  users?: Record<string, unknown>;
  users_default?: unknown;
}

const level = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined);

/** A user's power level as the spec reads it: their entry in `users`, else `users_default`, else 0. */
export function powerLevelOf(content: PowerLevelsContent | undefined, userId: string): number {
  if (!content) return 0;
  return level(content.users?.[userId]) ?? level(content.users_default) ?? 0;
}

/** Whether a sender may command the bot in a room whose power levels are `content`. */
export const mayCommand = (content: PowerLevelsContent | undefined, userId: string, required: number): boolean => powerLevelOf(content, userId) >= required;
