import { banner, type BannerInfo } from '../../../local/banner';

const info = (apiUrl: string): BannerInfo => ({
  apiUrl,
  emulatorUrl: 'http://localhost:4010',
  storeEndpoint: 'http://127.0.0.1:8000',
  dataDir: '/tmp/.lifecycle',
  forwardTo: [],
  sweepIntervalSeconds: 60,
  retryBaseSeconds: 30,
  hmacSecret: 'local-dev-secret',
  operatorToken: 'local-operator-token',
});

describe('the banner npm start prints', () => {
  it('on the default port, gives the CLI commands as they are and names LIFECYCLE_API_URL', () => {
    const text = banner(info('http://localhost:3000'));
    expect(text).toContain('\n  npx lifecycle send --sample terminate --urgent\n');
    expect(text).toContain('\n  npx lifecycle status E100 ');
    expect(text).toContain('LIFECYCLE_API_URL, default http://localhost:3000');
  });

  it('on another PORT, points every CLI command at that port with LIFECYCLE_API_URL', () => {
    const text = banner(info('http://localhost:3900'));
    expect(text).toContain('\n  LIFECYCLE_API_URL=http://localhost:3900 npx lifecycle send --sample terminate --urgent\n');
    expect(text).toContain('\n  LIFECYCLE_API_URL=http://localhost:3900 npx lifecycle status E100 ');
    expect(text).not.toMatch(/^ {2}npx lifecycle/m);
  });

  it("with the console signing in at the Cognito emulator, says where it is, whom it offers, and how the CLI signs in there", () => {
    const text = banner({ ...info('http://localhost:3000'), cognito: { url: 'http://localhost:4020', userPoolId: 'eu-central-1_LocalPool', cliClientId: 'cli-client', users: [{ username: 'grace', groups: ['viewer'] }] } });
    expect(text).toContain("console          http://localhost:3000/console   (sign in with the Cognito emulator's hosted sign-in");
    expect(text).toContain('Cognito          http://localhost:4020   user pool eu-central-1_LocalPool; its sign-in page offers grace (viewer)');
    expect(text).toContain('npx lifecycle login --stage local-cognito --auth-domain http://localhost:4020 --client-id cli-client --api-url http://localhost:3000');
    expect(banner(info('http://localhost:3000'))).not.toContain('Cognito');
  });

  it("the curl example's effective date is today in the runtime's clock (in the example employee's zone), never a fixed day", () => {
    expect(banner({ ...info('http://localhost:3000'), now: new Date('2027-03-01T22:30:00Z') })).toContain('"effectiveDate":"2027-03-01"');
    expect(banner({ ...info('http://localhost:3000'), now: new Date('2027-03-01T23:30:00Z') })).toContain('"effectiveDate":"2027-03-02"');
  });

  it('with a Jira intake, one line: its URL, where its webhook secret is, and the docs', () => {
    const local = banner({ ...info('http://localhost:3000'), jira: { intakeUrl: 'http://localhost:3000/v1/intake/jira', webhookSecret: 'local-jira-webhook-secret' } });
    expect(local.split('\n').filter((l) => l.includes('Jira'))).toEqual(['  Jira intake      http://localhost:3000/v1/intake/jira   (webhook secret local-jira-webhook-secret; try a hire: docs/jira.md#locally)']);
    const fromEnv = banner({ ...info('http://localhost:3000'), jira: { intakeUrl: 'http://localhost:3000/v1/intake/jira' } });
    expect(fromEnv).toContain('(webhook secret from LIFECYCLE_JIRA_WEBHOOK_SECRET, not shown; try a hire: docs/jira.md#locally)');
    expect(banner(info('http://localhost:3000'))).not.toContain('Jira');
  });

  it('names the Matrix bot and its rooms, and the member tasks project, only when the stage has them', () => {
    const plain = banner(info('http://localhost:3000'));
    expect(plain).not.toContain('Matrix bot');
    expect(plain).not.toContain('member tasks');
    expect(plain).toContain('Nextcloud        http://localhost:4010/ocs/v2.php on the emulators; GET http://localhost:4010/_emulator/nextcloud/state');
    const text = banner({ ...info('http://localhost:3000'), matrix: { userId: '@lifecycle:localhost', rooms: ['!askthebot:localhost'] }, memberTasksProject: 'members' });
    expect(text).toContain('Matrix bot       @lifecycle:localhost in !askthebot:localhost on the emulators; try !on: docs/local.md#the-matrix-bot');
    expect(text).toContain('member tasks     OpenProject project members on the emulators; GET http://localhost:4010/_emulator/openproject/state');
  });
});
