/** Drive API v3 shared drives and their members through the real @googleapis/drive client: shapes, admin access and refusals. */
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

const ADMIN = 'admin@example.com';
const ADA = 'ada.lovelace@example.com';
const GRACE = 'grace.hopper@example.com';
const DRIVE = ['https://www.googleapis.com/auth/drive'];
const AS_ADMIN = { useDomainAdminAccess: true, supportsAllDrives: true } as const;

describe('shared drives', () => {
  it('an admin finds the drives with one manager, and reads and adds their members', async () => {
    const lonely = g.emulator.seedSharedDrive({ name: 'Lonely', organizers: [ADA], members: [{ email: GRACE, role: 'reader' }] });
    g.emulator.seedSharedDrive({ name: 'Two managers', organizers: [ADA, GRACE] });
    const drive = g.driveAs(ADMIN, DRIVE);
    const found = (await drive.drives.list({ useDomainAdminAccess: true, q: 'organizerCount = 1' })).data;
    expect(found).toMatchObject({ kind: 'drive#driveList', drives: [{ kind: 'drive#drive', id: lonely, name: 'Lonely', hidden: false }] });
    const members = (await drive.permissions.list({ fileId: lonely, ...AS_ADMIN })).data.permissions ?? [];
    expect(members.map((p) => [p.emailAddress, p.role, p.type, p.kind])).toEqual([
      [ADA, 'organizer', 'user', 'drive#permission'],
      [GRACE, 'reader', 'user', 'drive#permission'],
    ]);
    const grace = members[1];
    const updated = (await drive.permissions.update({ fileId: lonely, permissionId: grace.id!, ...AS_ADMIN, requestBody: { role: 'organizer' } })).data;
    expect(updated).toMatchObject({ id: grace.id, role: 'organizer' });
    const created = (await drive.permissions.create({ fileId: lonely, ...AS_ADMIN, requestBody: { type: 'user', role: 'writer', emailAddress: 'alan.turing@example.com' } })).data;
    expect(created).toMatchObject({ kind: 'drive#permission', type: 'user', role: 'writer', emailAddress: 'alan.turing@example.com' });
    expect(g.emulator.sharedDriveMembers(lonely)).toHaveLength(3);
  });

  it('refuses admin access to one who is no admin, an admin-only query without it, and a shared drive without supportsAllDrives', async () => {
    const id = g.emulator.seedSharedDrive({ name: 'Notes', organizers: [ADA] });
    const ada = g.driveAs(ADA, DRIVE);
    const notAdmin = await googleError(ada.drives.list({ useDomainAdminAccess: true }));
    expect([notAdmin.status, notAdmin.error.errors[0].reason]).toEqual([403, 'insufficientAdministratorPrivileges']);
    const query = await googleError(ada.drives.list({ q: 'organizerCount = 1' }));
    expect([query.status, query.error.errors[0].reason]).toEqual([403, 'queryRequiresAdminCredentials']);
    // A member lists her own drives without admin access.
    expect((await ada.drives.list({})).data.drives?.map((d) => d.id)).toEqual([id]);
    const admin = g.driveAs(ADMIN, DRIVE);
    const noAllDrives = await googleError(admin.permissions.list({ fileId: id, useDomainAdminAccess: true }));
    expect([noAllDrives.status, noAllDrives.error.message]).toEqual([404, `File not found: ${id}.`]);
    const unknown = await googleError(admin.permissions.create({ fileId: id, ...AS_ADMIN, requestBody: { type: 'user', role: 'organizer', emailAddress: 'nobody@example.com' } }));
    expect([unknown.status, unknown.error.errors[0].reason]).toEqual([400, 'invalidSharingRequest']);
    const badRole = await googleError(admin.permissions.create({ fileId: id, ...AS_ADMIN, requestBody: { type: 'user', role: 'owner', emailAddress: GRACE } }));
    expect(badRole.status).toBe(400);
    const missing = await googleError(admin.permissions.update({ fileId: id, permissionId: '999', ...AS_ADMIN, requestBody: { role: 'organizer' } }));
    expect([missing.status, missing.error.message]).toEqual([404, 'Permission not found: 999.']);
  });

  it('refuses a token without a Drive scope that allows the call', async () => {
    const readOnly = g.driveAs(ADMIN, ['https://www.googleapis.com/auth/drive.readonly']);
    const id = g.emulator.seedSharedDrive({ name: 'Notes', organizers: [ADA] });
    const refused = await googleError(readOnly.permissions.create({ fileId: id, ...AS_ADMIN, requestBody: { type: 'user', role: 'organizer', emailAddress: GRACE } }));
    expect([refused.status, refused.error.errors[0].reason]).toEqual([403, 'insufficientPermissions']);
  });
});
