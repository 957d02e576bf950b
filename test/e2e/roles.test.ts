/** The role endpoints against the local runtime: the catalog read from the Notion emulator with the real client. */
import type { Runtime } from '../../local/runtime';
import { SAMPLE_NOTION } from '../../local/emulators/notion/notion-sample';
import { operator, start } from '../support/harness';

let rt: Runtime;
beforeAll(async () => {
  // No cache, so a role added to the emulator is read at once.
  rt = await start({ roleCacheMs: 0 });
});
afterAll(async () => {
  await rt.stop();
});

describe('GET /v1/roles', () => {
  it('lists the sample catalog with parents and no errors', async () => {
    const res = await operator(rt, 'GET', '/v1/roles');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      roles: [
        { name: 'employee', errors: [] },
        { name: 'engineer', parent: 'employee', errors: [] },
        { name: 'junior-support-agent', parent: 'employee', errors: [] },
        { name: 'senior-support-agent', parent: 'support-agent', errors: [] },
        { name: 'support-agent', parent: 'junior-support-agent', errors: [] },
        { name: 'support-team-lead', parent: 'senior-support-agent', errors: [] },
      ],
    });
  });

  it('needs the operator token', async () => {
    expect((await operator(rt, 'GET', '/v1/roles', undefined, 'wrong')).status).toBe(401);
  });
});

describe('GET /v1/roles/{name}', () => {
  it('resolves a four-level role, checked against the Google and Connect emulators, with its tree', async () => {
    const res = await operator(rt, 'GET', '/v1/roles/senior-support-agent');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'senior-support-agent',
      inherits: ['support-agent', 'junior-support-agent', 'employee'],
      referencesChecked: true,
      valid: true,
      errors: [],
      grants: {
        single: {
          googleLicenseSku: { property: 'License SKU', value: '1010020028', grantedBy: 'senior-support-agent', overrides: [{ value: '1010020027', grantedBy: 'employee' }] },
          connectRoutingProfile: { value: 'Support-Tier2', grantedBy: 'support-agent' },
        },
        lists: {
          connectSecurityProfiles: { property: 'Connect security profiles', grants: [{ value: 'Agent', grantedBy: 'junior-support-agent' }, { value: 'CallCenterManager', grantedBy: 'senior-support-agent' }] },
        },
      },
      tree: { role: 'senior-support-agent', inherits: { role: 'support-agent', inherits: { role: 'junior-support-agent', inherits: { role: 'employee' } } } },
    });
    expect(res.body.text.split('\n').slice(0, 3)).toEqual(['senior-support-agent', '├─ inherits support-agent', '│  ├─ inherits junior-support-agent']);
  });

  it('names an unknown group or profile with the role that grants it', async () => {
    rt.emulators.notion.addPage(SAMPLE_NOTION.rolesDataSourceId, {
      values: { Name: 'night-shift', Parent: [SAMPLE_NOTION.pages.supportAgent], Groups: ['night@example.com'], 'Connect routing profile': 'Night' },
    });
    const res = await operator(rt, 'GET', '/v1/roles/night-shift');
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors).toEqual([
      { role: 'night-shift', property: 'Connect routing profile', message: 'unknown Connect routing profile "Night"' },
      { role: 'night-shift', property: 'Groups', message: 'unknown Google group "night@example.com"' },
    ]);
  });

  it('answers 404 for an unknown role', async () => {
    const res = await operator(rt, 'GET', '/v1/roles/astronaut');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'role astronaut not found', errors: [{ role: 'astronaut', property: 'Name', message: 'no role of that name in the catalog' }] });
  });

  it('answers 502 with Notion\'s message when the catalog cannot be read', async () => {
    const fresh = await start();
    try {
      fresh.emulators.notion.faults.failNext({ path: '/query', count: 1, status: 401, message: 'API token is invalid.' });
      const res = await operator(fresh, 'GET', '/v1/roles');
      expect(res.status).toBe(502);
      expect(res.body.error).toContain('API token is invalid.');
      expect((await operator(fresh, 'GET', '/v1/roles')).status).toBe(200);
    } finally {
      await fresh.stop();
    }
  });
});
