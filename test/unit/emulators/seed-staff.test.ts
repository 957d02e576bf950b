/** seedStaff: a prefix seeded into a tenant already is refused with a clear message, whatever layout seeded it. */
import { ConnectEmulator } from '../../../local/emulators/connect/connect-emulator';
import { seedConnectSample } from '../../../local/emulators/connect/connect-sample';
import { GoogleWorkspaceEmulator, seedSample } from '../../../local/emulators/google';
import { seedStaff } from '../../../local/emulators/seed-staff';

function emulators() {
  const google = new GoogleWorkspaceEmulator();
  seedSample(google);
  return { google, connect: seedConnectSample(new ConnectEmulator()) };
}

describe('seedStaff', () => {
  it('seeds a team with its manager and colleague, each licensed', () => {
    const e = emulators();
    const staff = seedStaff(e, 2, { prefix: 'unit' });
    expect(staff.map((s) => s.managerEmail)).toEqual(['unit.manager1@example.com', 'unit.manager1@example.com']);
  });

  it('refuses a prefix seeded already, naming it', () => {
    const e = emulators();
    seedStaff(e, 1, { prefix: 'unit' });
    expect(() => seedStaff(e, 1, { prefix: 'unit' })).toThrow('seedStaff: prefix "unit" was seeded into this tenant already; use another');
  });

  it('refuses a prefix seeded by the earlier layout (one unnumbered manager), not failing later on its group', () => {
    const e = emulators();
    // A tenant saved before staff came in teams: <prefix>.manager@ and <prefix>.colleague@, and the <prefix>-all group.
    e.google.seedUser({ email: 'old.manager@example.com', givenName: 'Manager', familyName: 'old' });
    e.google.seedGroup({ email: 'old-all@example.com', name: 'All old staff' });
    expect(() => seedStaff(e, 1, { prefix: 'old' })).toThrow('seedStaff: prefix "old" was seeded into this tenant already; use another');
  });
});
