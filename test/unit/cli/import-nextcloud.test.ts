/** `lifecycle import --from-nextcloud`: the CSV read over WebDAV from the Nextcloud emulator, then the same plan as a local file. */
import { LOCAL_NEXTCLOUD_APP_PASSWORD } from '../../../local/emulators/nextcloud/nextcloud-emulator';
import { daysFromToday } from '../../support/builders';
import { SECRET } from '../../support/harness';
import { useNextcloudTestBed } from '../../support/nextcloud-emulator';
import { runWith } from './cli-harness';

const bed = useNextcloudTestBed();
const START = daysFromToday(100);

describe('lifecycle import --from-nextcloud', () => {
  const env = () => ({ LIFECYCLE_API_URL: 'http://127.0.0.1:9', LIFECYCLE_HMAC_SECRET: SECRET, LIFECYCLE_NEXTCLOUD_BASE_URL: bed().url, LIFECYCLE_NEXTCLOUD_USER: 'admin', LIFECYCLE_NEXTCLOUD_APP_PASSWORD: LOCAL_NEXTCLOUD_APP_PASSWORD });

  it('reads the CSV from the admin user’s folder and plans its rows as a local file’s', async () => {
    bed().emulator.putFile('admin', 'HR/newcomers/jan.csv', `firstName,lastName,email,role,startDate,employeeId\nNora,Cloud,nora.cloud@example.com,engineer,${START},E-NC-1\n`);
    const res = await runWith(['import', '--from-nextcloud', 'HR/newcomers/jan.csv', '--dry-run'], { env: env(), fetch: globalThis.fetch });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/dry run, nothing sent: 1 hire event/);
    expect(res.stdout).toMatch(/"id":"E-NC-1"/);
  });

  it('a file Nextcloud does not have is named, nothing sent', async () => {
    const res = await runWith(['import', '--from-nextcloud', 'HR/newcomers/none.csv', '--dry-run'], { env: env(), fetch: globalThis.fetch });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/cannot read nextcloud:HR\/newcomers\/none.csv: .*404/);
  });

  it('without the Nextcloud settings in the environment it says which are missing', async () => {
    const res = await runWith(['import', '--from-nextcloud', 'HR/x.csv'], { env: { LIFECYCLE_API_URL: 'http://127.0.0.1:9', LIFECYCLE_HMAC_SECRET: SECRET }, fetch: globalThis.fetch });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/LIFECYCLE_NEXTCLOUD_BASE_URL/);
  });
});
