/** The stage's inactivity settings: defaults, and a bad value named by its field. */
import { stageConfigSchema } from '../../../config/schema';
import { loadStageConfig } from '../../../config/stages';

const withInactivity = (inactivity: unknown) => stageConfigSchema.safeParse({ ...loadStageConfig('dev'), inactivity });
const issues = (inactivity: unknown) => {
  const res = withInactivity(inactivity);
  return res.success ? [] : res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the stage inactivity settings', () => {
  it('is off by default: 90 days, Google, approval, a notice 7 days before; the local stage checks Google', () => {
    expect(loadStageConfig('dev').inactivity).toEqual({
      enabled: false,
      days: 90,
      systems: ['google'],
      approve: true,
      noticeDays: 7,
      exclude: { addresses: [], employeeIds: [], access: [] },
      serviceAccounts: { addresses: [], localParts: [] },
    });
    expect(loadStageConfig('local').inactivity).toMatchObject({ enabled: true, systems: ['google'], serviceAccounts: { localParts: ['noreply', 'svc-*'] } });
  });

  it('takes systems whose last sign-in is known, and lower-cases listed addresses', () => {
    const res = withInactivity({ enabled: true, days: 120, systems: ['google', 'nextcloud', 'scim:wiki'], exclude: { addresses: ['Board@Example.com'] } });
    expect(res.success && res.data.inactivity).toMatchObject({ days: 120, systems: ['google', 'nextcloud', 'scim:wiki'], exclude: { addresses: ['board@example.com'] } });
  });

  it('names the field of a bad value', () => {
    expect(issues({ days: 3, noticeDays: 1 })).toEqual([expect.stringMatching(/^inactivity\.days: /)]);
    expect(issues({ days: 90.5 })).toEqual([expect.stringMatching(/^inactivity\.days: /)]);
    expect(issues({ systems: ['connect'] })).toEqual([expect.stringMatching(/^inactivity\.systems\.0: must be google, nextcloud or scim:<app>/)]);
    expect(issues({ systems: ['google', 'google'] })).toEqual(['inactivity.systems: must name each system once']);
    expect(issues({ days: 30, noticeDays: 30 })).toEqual(['inactivity.noticeDays: must be less than days (30)']);
    expect(issues({ noticeDays: -1 })).toEqual([expect.stringMatching(/^inactivity\.noticeDays: /)]);
    expect(issues({ approve: 'yes' })).toEqual([expect.stringMatching(/^inactivity\.approve: /)]);
    expect(issues({ exclude: { addresses: ['not-an-address'] } })).toEqual([expect.stringMatching(/^inactivity\.exclude\.addresses\.0: must be an email address/)]);
    expect(issues({ serviceAccounts: { localParts: ['svc/x'] } })).toEqual([expect.stringMatching(/^inactivity\.serviceAccounts\.localParts\.0: /)]);
    expect(issues({ enable: true })).toEqual([expect.stringMatching(/^inactivity: /)]);
  });
});
