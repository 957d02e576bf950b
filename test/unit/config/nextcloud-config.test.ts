/** The stage's nextcloud settings: defaults, and a bad value named by its field. */
import { stageConfigSchema } from '../../../config/schema';
import { loadStageConfig } from '../../../config/stages';

const withNextcloud = (nextcloud: unknown) => stageConfigSchema.safeParse({ ...loadStageConfig('dev'), nextcloud });
const issues = (nextcloud: unknown) => {
  const res = withNextcloud(nextcloud);
  return res.success ? [] : res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the stage nextcloud settings', () => {
  it('takes a server and its admin, 300 requests a minute by default; the local stage has the emulator’s', () => {
    const res = withNextcloud({ baseUrl: 'https://cloud.acme.io', user: 'lifecycle-admin' });
    expect(res.success && res.data.nextcloud).toEqual({ baseUrl: 'https://cloud.acme.io', user: 'lifecycle-admin', requestsPerMinute: 300 });
    expect(loadStageConfig('local').nextcloud).toMatchObject({ user: 'admin', requestsPerMinute: 600 });
  });

  it('names the field of a bad value', () => {
    expect(issues({ baseUrl: 'cloud.acme.io', user: 'admin' })).toEqual([expect.stringMatching(/^nextcloud\.baseUrl: nextcloud\.baseUrl must be an http\(s\) URL/)]);
    expect(issues({ baseUrl: 'https://cloud.acme.io', user: 'ad/min' })).toEqual([expect.stringMatching(/^nextcloud\.user: nextcloud\.user must be a Nextcloud user id/)]);
    expect(issues({ baseUrl: 'https://cloud.acme.io', user: 'admin', requestsPerMinute: 0 })).toEqual([expect.stringMatching(/^nextcloud\.requestsPerMinute: .*positive/)]);
    expect(issues({ baseUrl: 'https://cloud.acme.io', user: 'admin', token: 'x' })).toEqual([expect.stringMatching(/^nextcloud/)]);
  });
});
