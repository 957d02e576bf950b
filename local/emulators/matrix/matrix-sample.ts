/**
 * The local homeserver's sample: the room "Ask the bot" (#ask-the-bot:localhost), the bot invited to it, a moderator
 * who may propose hires (Alice, power 50), a member who may not (Bob, power 0), and the room's admin (power 100).
 */
import { LOCAL_DEFAULTS } from '../../../config/local-defaults';
import { LOCAL_MATRIX_SERVER, type MatrixEmulator } from './matrix-emulator';

export const SAMPLE_MATRIX = {
  roomId: `!askthebot:${LOCAL_MATRIX_SERVER}`,
  alias: `#ask-the-bot:${LOCAL_MATRIX_SERVER}`,
  bot: `@lifecycle:${LOCAL_MATRIX_SERVER}`,
  moderator: `@alice:${LOCAL_MATRIX_SERVER}`,
  member: `@bob:${LOCAL_MATRIX_SERVER}`,
  admin: `@admin:${LOCAL_MATRIX_SERVER}`,
} as const;

export function seedMatrixSample(emulator: MatrixEmulator): MatrixEmulator {
  emulator.addToken(LOCAL_DEFAULTS.matrixAccessToken, SAMPLE_MATRIX.bot);
  emulator.addRoom({
    roomId: SAMPLE_MATRIX.roomId,
    aliases: [SAMPLE_MATRIX.alias],
    name: 'Ask the bot',
    joinRule: 'invite',
    members: [SAMPLE_MATRIX.admin, SAMPLE_MATRIX.moderator, SAMPLE_MATRIX.member],
    invited: [SAMPLE_MATRIX.bot],
    powerLevels: {
      users: { [SAMPLE_MATRIX.admin]: 100, [SAMPLE_MATRIX.moderator]: 50, [SAMPLE_MATRIX.bot]: 50 },
      users_default: 0,
      events: { 'm.room.power_levels': 100, 'm.room.name': 50 },
      events_default: 0,
      state_default: 50,
      ban: 50,
      kick: 50,
      redact: 50,
      invite: 0,
    },
  });
  return emulator;
}
