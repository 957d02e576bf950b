/** Naming Connect routing profiles, security profiles and hierarchy groups by id or by name, as the role catalog does. */
import { ProviderError } from '../../../lambdas/providers/provider-error';
import { connectReferences, idByName, isConnectId } from '../../../lambdas/providers/connect/references';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID } from '../../../local/emulators/connect/connect-sample';
import { useConnectTestBed } from '../../support/connect-emulator';

const items = [
  { Id: 'a', Name: 'Agent' },
  { Id: 'b', Name: 'Support' },
  { Id: 'c', Name: 'support' },
  { Id: 'd', Name: 'Tier1' },
];

describe('idByName', () => {
  it.each([
    ['Agent', 'a'],
    ['agent', 'a'],
    ['Support', 'b'],
    ['tier1', 'd'],
  ])('%s is %s: an exact name first, else the one match apart from case', (name, id) => {
    expect(idByName(items, name, 'security profile', 'i-1')).toBe(id);
  });

  it('two names apart from case and no exact match: refused, not guessed', () => {
    expect(() => idByName(items, 'SUPPORT', 'hierarchy group', 'i-1')).toThrow(/has 2 hierarchy groups named "SUPPORT": name it by id/);
  });

  it('an unknown name is not retryable and names what was asked for', () => {
    let thrown: unknown;
    try {
      idByName(items, 'Trainee', 'security profile', 'i-1');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ retryable: false, message: 'Connect instance i-1 has no security profile named "Trainee": fix the role catalog or create it in Connect' });
  });
});

describe('isConnectId', () => {
  it.each([
    ['b0000002-0000-4000-8000-000000000001', true],
    ['arn:aws:connect:eu-central-1:111122223333:instance/x/routing-profile/y', true],
    ['Support-Tier1', false],
    ['Agent', false],
  ])('%s → %s', (ref, id) => expect(isConnectId(ref)).toBe(id));
});

describe('connectReferences against the emulator', () => {
  const bed = useConnectTestBed();

  it('resolves names of each kind and passes ids through, reading each list once', async () => {
    const { client } = bed().ctx.providers.connect!();
    let lists = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName?.startsWith('List')) lists += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countLists' },
    );
    const refs = connectReferences(client, SAMPLE_CONNECT_INSTANCE_ID);
    expect(await refs.routingProfile('Support-Tier2')).toBe(SAMPLE_CONNECT.routingProfiles.supportTier2);
    expect(await refs.securityProfiles(['Agent', SAMPLE_CONNECT.securityProfiles.admin, 'CallCenterManager'])).toEqual([
      SAMPLE_CONNECT.securityProfiles.agent,
      SAMPLE_CONNECT.securityProfiles.admin,
      SAMPLE_CONNECT.securityProfiles.callCenterManager,
    ]);
    expect(await refs.hierarchyGroup('Tier2')).toBe(SAMPLE_CONNECT.hierarchyGroups.tier2);
    expect(await refs.routingProfile('Basic')).toBe(SAMPLE_CONNECT.routingProfiles.basic);
    expect(lists).toBe(3);
  });
});
