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

  it('a folder path reads every CSV in it, in name order, and nothing else', async () => {
    bed().emulator.putFile('admin', 'HR/batch/b.csv', `firstName,lastName,email,startDate,employeeId\nBea,Two,bea.two@example.com,${START},E-NC-B\n`);
    bed().emulator.putFile('admin', 'HR/batch/a.csv', `firstName,lastName,email,startDate,employeeId\nAl,One,al.one@example.com,${START},E-NC-A\n`);
    bed().emulator.putFile('admin', 'HR/batch/notes.txt', 'not a newcomer list');
    const res = await runWith(['import', '--from-nextcloud', 'HR/batch/', '--dry-run'], { env: env(), fetch: globalThis.fetch });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/dry run, nothing sent: 2 hire events/);
    expect(res.stdout.indexOf('E-NC-A')).toBeLessThan(res.stdout.indexOf('E-NC-B'));
  });

  it('with no path it reads the newcomer folder the environment names; without one it names what is missing', async () => {
    bed().emulator.putFile('admin', 'HR/inbox/week.csv', `firstName,lastName,email,startDate,employeeId\nCy,Three,cy.three@example.com,${START},E-NC-C\n`);
    const read = await runWith(['import', '--from-nextcloud', '--dry-run'], { env: { ...env(), LIFECYCLE_NEXTCLOUD_NEWCOMER_FOLDER: 'HR/inbox' }, fetch: globalThis.fetch });
    expect(read.code).toBe(0);
    expect(read.stdout).toMatch(/"id":"E-NC-C"/);
    const none = await runWith(['import', '--from-nextcloud', '--dry-run'], { env: env(), fetch: globalThis.fetch });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/file: .*LIFECYCLE_NEXTCLOUD_NEWCOMER_FOLDER/);
  });

  it('one bad row in any file of the folder sends nothing and names the file and line', async () => {
    bed().emulator.putFile('admin', 'HR/mixed/1.csv', `firstName,lastName,email,startDate,employeeId\nDi,Four,di.four@example.com,${START},E-NC-D\n`);
    bed().emulator.putFile('admin', 'HR/mixed/2.csv', `firstName,lastName,email,startDate,employeeId\nEd,Five,not-an-address,${START},E-NC-E\n`);
    const res = await runWith(['import', '--from-nextcloud', 'HR/mixed/'], { env: env(), fetch: globalThis.fetch });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/nextcloud:HR\/mixed\/2\.csv: 1 line has problems; nothing was sent/);
    expect(res.stderr).toMatch(/line 2: employee.email: must be an email address/);
    expect(res.stdout).not.toMatch(/E-NC-D/);
  });

  it('a folder with no CSV in it is refused by name', async () => {
    bed().emulator.putFile('admin', 'HR/empty/readme.txt', 'nothing here');
    const res = await runWith(['import', '--from-nextcloud', 'HR/empty/', '--dry-run'], { env: env(), fetch: globalThis.fetch });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/cannot read nextcloud:HR\/empty\/: the folder holds no \.csv file/);
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
