/**
 * The sample SCIM app `npm start` serves: `wiki`, at /scim/wiki/v2 on the emulator port, with PATCH supported, its
 * groups, and a user made before this system (Grace Hopper's, bound to her employee id E050). The sample `engineer`
 * and `senior-support-agent` roles name it (local/emulators/notion/notion-sample.ts).
 */
import type { ScimEmulator } from './scim-emulator';

export const SAMPLE_SCIM = {
  /** The app's name in the local stage's scimApps and in the sample role. */
  app: 'wiki',
  /** The local default bearer token of the sample app (a secret of its own on AWS). */
  token: 'local-scim-wiki-token',
  groups: { engineering: 'Engineering', everyone: 'Everyone', editors: 'Wiki Editors' },
} as const;

/** The app's SCIM root on an emulator at `emulatorUrl`. */
export const sampleScimBaseUrl = (emulatorUrl: string, app: string = SAMPLE_SCIM.app) => `${emulatorUrl}/scim/${app}/v2`;

export function seedScimSample<E extends ScimEmulator>(scim: E): E {
  const wiki = scim.addApp(SAMPLE_SCIM.app, { token: SAMPLE_SCIM.token, patch: true });
  const grace = wiki.addUser({ userName: 'grace.hopper@example.com', externalId: 'E050', displayName: 'Grace Hopper', name: { givenName: 'Grace', familyName: 'Hopper' } });
  wiki.addGroup(SAMPLE_SCIM.groups.everyone, [grace.id]);
  wiki.addGroup(SAMPLE_SCIM.groups.engineering);
  wiki.addGroup(SAMPLE_SCIM.groups.editors, [grace.id]);
  return scim;
}
