/** The Connect emulator as the real @aws-sdk/client-connect sees it: shapes, paging, errors and persistence. */
import {
  CreateUserCommand,
  DeleteUserCommand,
  DescribeRoutingProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  DuplicateResourceException,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
  ListUsersCommand,
  paginateListUsers,
  ResourceNotFoundException,
  SearchUsersCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type ConnectClient,
  type CreateUserCommandInput,
  type User,
} from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID, seedConnectSample } from '../../../../local/emulators/connect/connect-sample';
import { FIXED_NOW, rejectionOf, startConnect, type ConnectHarness } from './connect-harness';

const I = SAMPLE_CONNECT_INSTANCE_ID;
const P = SAMPLE_CONNECT;

const newAgent = (username: string): CreateUserCommandInput => ({
  InstanceId: I,
  Username: username,
  IdentityInfo: { FirstName: 'Mary', LastName: 'Jackson', Email: `${username}@example.com` },
  PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: true, AfterContactWorkTimeLimit: 20 },
  RoutingProfileId: P.routingProfiles.supportTier2,
  SecurityProfileIds: [P.securityProfiles.agent],
  HierarchyGroupId: P.hierarchyGroups.tier2,
});

describe('the Connect emulator through the real ConnectClient', () => {
  let h: ConnectHarness;
  beforeEach(async () => {
    h = await startConnect();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('answers CreateUser with the new id and ARN, and DescribeUser shows the user as created', async () => {
    const client = h.client();
    const created = await client.send(new CreateUserCommand(newAgent('mary.jackson')));
    expect(created.UserId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.UserArn).toBe(`arn:aws:connect:eu-central-1:123456789012:instance/${I}/agent/${created.UserId}`);

    const { User: user } = await client.send(new DescribeUserCommand({ InstanceId: I, UserId: created.UserId }));
    expect(user).toEqual<User>({
      Id: created.UserId,
      Arn: created.UserArn,
      Username: 'mary.jackson',
      IdentityInfo: { FirstName: 'Mary', LastName: 'Jackson', Email: 'mary.jackson@example.com' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: true, AfterContactWorkTimeLimit: 20 },
      RoutingProfileId: P.routingProfiles.supportTier2,
      SecurityProfileIds: [P.securityProfiles.agent],
      HierarchyGroupId: P.hierarchyGroups.tier2,
      Tags: {},
      LastModifiedTime: new Date(FIXED_NOW),
      LastModifiedRegion: 'eu-central-1',
    });
  });

  it('seeds ada.lovelace on Support-Tier1 as an Agent in Tier1 with a soft phone', async () => {
    const { User: ada } = await h.client().send(new DescribeUserCommand({ InstanceId: I, UserId: P.users.adaLovelace }));
    expect(ada).toMatchObject({
      Username: 'ada.lovelace',
      RoutingProfileId: P.routingProfiles.supportTier1,
      SecurityProfileIds: [P.securityProfiles.agent],
      HierarchyGroupId: P.hierarchyGroups.tier1,
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
    });
  });

  it('refuses a second user with the same username with DuplicateResourceException (409)', async () => {
    const client = h.client();
    await client.send(new CreateUserCommand(newAgent('mary.jackson')));
    const err = await rejectionOf(client.send(new CreateUserCommand(newAgent('mary.jackson'))));
    expect(err.name).toBe('DuplicateResourceException');
    expect(err).toBeInstanceOf(DuplicateResourceException);
    expect(err.$metadata?.httpStatusCode).toBe(409);
    expect(err.message).toContain('mary.jackson');
  });

  it.each([
    ['an unknown user', { InstanceId: I, UserId: '00000000-0000-4000-8000-000000000000' }, 'User not found'],
    ['an unknown instance', { InstanceId: '00000000-0000-4000-8000-00000000beef', UserId: P.users.adaLovelace }, 'Instance not found'],
  ])('answers DescribeUser for %s with ResourceNotFoundException (404)', async (_what, input, message) => {
    const err = await rejectionOf(h.client().send(new DescribeUserCommand(input)));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.$metadata?.httpStatusCode).toBe(404);
    expect(err.message).toContain(message);
  });

  it('puts the error name in x-amzn-ErrorType and the message in the body, as Connect does', async () => {
    const res = await fetch(`${h.server.url}/users/${I}/no-such-user`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await res.json()).toEqual({ Message: 'User not found for id: no-such-user' });
  });

  it('deletes a user so that DescribeUser then answers ResourceNotFoundException', async () => {
    const client = h.client();
    await client.send(new DeleteUserCommand({ InstanceId: I, UserId: P.users.graceHopper }));
    expect(h.emulator.user(I, P.users.graceHopper)).toBeUndefined();
    const err = await rejectionOf(client.send(new DescribeUserCommand({ InstanceId: I, UserId: P.users.graceHopper })));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('pages ListUsers with MaxResults and NextToken until every user is seen once', async () => {
    for (let n = 1; n <= 7; n += 1) {
      h.emulator.createUser(I, { Username: `agent.${n}`, RoutingProfileId: P.routingProfiles.basic, SecurityProfileIds: [P.securityProfiles.agent] });
    }
    const client = h.client();
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListUsersCommand({ InstanceId: I, MaxResults: 3, NextToken: token }));
      pages.push((page.UserSummaryList ?? []).map((u) => u.Username ?? ''));
      token = page.NextToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    const all = pages.flat();
    expect(new Set(all).size).toBe(10);
    expect(all).toEqual(expect.arrayContaining(['ada.lovelace', 'grace.hopper', 'katherine.johnson', 'agent.7']));

    // The SDK's own paginator walks the same pages.
    const viaPaginator: string[] = [];
    for await (const page of paginateListUsers({ client, pageSize: 4 }, { InstanceId: I })) viaPaginator.push(...(page.UserSummaryList ?? []).map((u) => u.Username ?? ''));
    expect(viaPaginator).toEqual(all);
  });

  it('refuses MaxResults above 1000 with InvalidParameterException', async () => {
    const err = await rejectionOf(h.client().send(new ListUsersCommand({ InstanceId: I, MaxResults: 1001 })));
    expect(err.name).toBe('InvalidParameterException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('finds a user by exact Username with SearchUsers, and by hierarchy including child groups', async () => {
    const client = h.client();
    const exact = await client.send(
      new SearchUsersCommand({ InstanceId: I, SearchCriteria: { StringCondition: { FieldName: 'Username', Value: 'ada.lovelace', ComparisonType: 'EXACT' } } }),
    );
    expect(exact.Users?.map((u) => [u.Username, u.Id, u.RoutingProfileId])).toEqual([['ada.lovelace', P.users.adaLovelace, P.routingProfiles.supportTier1]]);
    expect(exact.ApproximateTotalCount).toBe(1);

    const notExact = await client.send(
      new SearchUsersCommand({ InstanceId: I, SearchCriteria: { StringCondition: { FieldName: 'Username', Value: 'ada', ComparisonType: 'EXACT' } } }),
    );
    expect(notExact.Users).toEqual([]);

    const support = await client.send(
      new SearchUsersCommand({ InstanceId: I, SearchCriteria: { HierarchyGroupCondition: { Value: P.hierarchyGroups.support, HierarchyGroupMatchType: 'WITH_CHILD_GROUPS' } } }),
    );
    expect(support.Users?.map((u) => u.Username)).toEqual(['ada.lovelace', 'grace.hopper']);
  });

  type Ids = { InstanceId: string; UserId: string };
  it.each<[string, (client: ConnectClient, ids: Ids) => Promise<{ $metadata: { httpStatusCode?: number } }>, Partial<User>]>([
    [
      'UpdateUserRoutingProfile',
      (c, ids) => c.send(new UpdateUserRoutingProfileCommand({ ...ids, RoutingProfileId: P.routingProfiles.supportTier2 })),
      { RoutingProfileId: P.routingProfiles.supportTier2 },
    ],
    [
      'UpdateUserSecurityProfiles',
      (c, ids) => c.send(new UpdateUserSecurityProfilesCommand({ ...ids, SecurityProfileIds: [P.securityProfiles.agent, P.securityProfiles.callCenterManager] })),
      { SecurityProfileIds: [P.securityProfiles.agent, P.securityProfiles.callCenterManager] },
    ],
    ['UpdateUserHierarchy', (c, ids) => c.send(new UpdateUserHierarchyCommand({ ...ids, HierarchyGroupId: P.hierarchyGroups.tier2 })), { HierarchyGroupId: P.hierarchyGroups.tier2 }],
    [
      'UpdateUserPhoneConfig',
      (c, ids) => c.send(new UpdateUserPhoneConfigCommand({ ...ids, PhoneConfig: { PhoneType: 'DESK_PHONE', DeskPhoneNumber: '+4930555000' } })),
      // Members left out keep their value.
      { PhoneConfig: { PhoneType: 'DESK_PHONE', DeskPhoneNumber: '+4930555000', AutoAccept: false, AfterContactWorkTimeLimit: 30 } },
    ],
    [
      'UpdateUserIdentityInfo',
      (c, ids) => c.send(new UpdateUserIdentityInfoCommand({ ...ids, IdentityInfo: { FirstName: 'Augusta Ada', LastName: 'King', Email: 'ada.king@example.com' } })),
      { IdentityInfo: { FirstName: 'Augusta Ada', LastName: 'King', Email: 'ada.king@example.com' } },
    ],
  ])('%s changes what DescribeUser answers', async (_op, update, expected) => {
    const client = h.client();
    const ids = { InstanceId: I, UserId: P.users.adaLovelace };
    const out = await update(client, ids);
    expect(out.$metadata.httpStatusCode).toBe(200);
    const { User: user } = await client.send(new DescribeUserCommand(ids));
    expect(user).toMatchObject(expected);
    expect(user?.PhoneConfig).toEqual(expected.PhoneConfig ?? { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 30 });
  });

  it('takes a user out of the hierarchy when UpdateUserHierarchy names no group', async () => {
    const client = h.client();
    await client.send(new UpdateUserHierarchyCommand({ InstanceId: I, UserId: P.users.adaLovelace }));
    const { User: user } = await client.send(new DescribeUserCommand({ InstanceId: I, UserId: P.users.adaLovelace }));
    expect(user?.HierarchyGroupId).toBeUndefined();
  });

  const UNKNOWN = '99999999-0000-4000-8000-000000000000';
  it.each<[string, (client: ConnectClient) => Promise<unknown>, string]>([
    ['CreateUser with an unknown routing profile', (c) => c.send(new CreateUserCommand({ ...newAgent('x.one'), RoutingProfileId: UNKNOWN })), 'RoutingProfile not found'],
    ['CreateUser with an unknown security profile', (c) => c.send(new CreateUserCommand({ ...newAgent('x.two'), SecurityProfileIds: [P.securityProfiles.agent, UNKNOWN] })), 'SecurityProfile not found'],
    ['CreateUser with an unknown hierarchy group', (c) => c.send(new CreateUserCommand({ ...newAgent('x.three'), HierarchyGroupId: UNKNOWN })), 'HierarchyGroup not found'],
    ['UpdateUserRoutingProfile to an unknown profile', (c) => c.send(new UpdateUserRoutingProfileCommand({ InstanceId: I, UserId: P.users.adaLovelace, RoutingProfileId: UNKNOWN })), 'RoutingProfile not found'],
    [
      'UpdateUserSecurityProfiles to an unknown profile',
      (c) => c.send(new UpdateUserSecurityProfilesCommand({ InstanceId: I, UserId: P.users.adaLovelace, SecurityProfileIds: [UNKNOWN] })),
      'SecurityProfile not found',
    ],
    ['UpdateUserHierarchy to an unknown group', (c) => c.send(new UpdateUserHierarchyCommand({ InstanceId: I, UserId: P.users.adaLovelace, HierarchyGroupId: UNKNOWN })), 'HierarchyGroup not found'],
  ])('answers %s with ResourceNotFoundException and changes nothing', async (_what, call, message) => {
    const before = h.emulator.toJSON();
    const err = await rejectionOf(call(h.client()));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(404);
    expect(err.message).toContain(message);
    expect(err.message).toContain(UNKNOWN);
    expect(h.emulator.toJSON()).toEqual(before);
  });

  it('refuses a desk phone without a number with InvalidParameterException', async () => {
    const err = await rejectionOf(
      h.client().send(new UpdateUserPhoneConfigCommand({ InstanceId: I, UserId: P.users.adaLovelace, PhoneConfig: { PhoneType: 'DESK_PHONE' } })),
    );
    expect(err.name).toBe('InvalidParameterException');
  });

  it('lists the seeded routing profiles, security profiles and hierarchy groups', async () => {
    const client = h.client();
    const rp = await client.send(new ListRoutingProfilesCommand({ InstanceId: I }));
    expect(rp.RoutingProfileSummaryList?.map((p) => [p.Name, p.Id])).toEqual([
      ['Basic', P.routingProfiles.basic],
      ['Support-Tier1', P.routingProfiles.supportTier1],
      ['Support-Tier2', P.routingProfiles.supportTier2],
    ]);
    expect(rp.RoutingProfileSummaryList?.[0].LastModifiedTime).toEqual(new Date(FIXED_NOW));
    const sp = await client.send(new ListSecurityProfilesCommand({ InstanceId: I }));
    expect(sp.SecurityProfileSummaryList?.map((p) => p.Name)).toEqual(['Admin', 'Agent', 'CallCenterManager']);
    const hg = await client.send(new ListUserHierarchyGroupsCommand({ InstanceId: I, MaxResults: 2 }));
    expect(hg.UserHierarchyGroupSummaryList?.map((g) => g.Name)).toEqual(['Support', 'Tier1']);
    const rest = await client.send(new ListUserHierarchyGroupsCommand({ InstanceId: I, NextToken: hg.NextToken }));
    expect(rest.UserHierarchyGroupSummaryList?.map((g) => g.Name)).toEqual(['Tier2']);
    expect(rest.NextToken).toBeUndefined();
  });

  it('describes a routing profile with its user count, and a hierarchy group with its path', async () => {
    const client = h.client();
    const { RoutingProfile: rp } = await client.send(new DescribeRoutingProfileCommand({ InstanceId: I, RoutingProfileId: P.routingProfiles.supportTier1 }));
    expect(rp).toMatchObject({ Name: 'Support-Tier1', RoutingProfileId: P.routingProfiles.supportTier1, InstanceId: I, NumberOfAssociatedUsers: 1, IsDefault: false });
    const { HierarchyGroup: g } = await client.send(new DescribeUserHierarchyGroupCommand({ InstanceId: I, HierarchyGroupId: P.hierarchyGroups.tier1 }));
    expect(g?.Name).toBe('Tier1');
    expect(g?.HierarchyPath?.LevelOne?.Name).toBe('Support');
    expect(g?.HierarchyPath?.LevelTwo?.Id).toBe(P.hierarchyGroups.tier1);
  });
});

describe('identity management of a Connect instance', () => {
  const managed = '11111111-0000-4000-8000-000000000001';
  let h: ConnectHarness;
  beforeAll(async () => {
    const emulator = seedConnectSample(new ConnectEmulator());
    emulator.addInstance({ id: managed, alias: 'managed', identityManagementType: 'CONNECT_MANAGED' });
    emulator.addRoutingProfile(managed, { id: 'rp', name: 'Basic' });
    emulator.addSecurityProfile(managed, { id: 'sp', name: 'Agent' });
    h = await startConnect({ emulator });
  });
  afterAll(async () => {
    await h.stop();
  });

  const base = { Username: 'mary', RoutingProfileId: 'rp', SecurityProfileIds: ['sp'], PhoneConfig: { PhoneType: 'SOFT_PHONE' as const } };

  it('requires a Password where Connect manages identities', async () => {
    const err = await rejectionOf(h.client().send(new CreateUserCommand({ ...base, InstanceId: managed })));
    expect(err.name).toBe('InvalidRequestException');
    expect(err.message).toBe('Required parameter missing: Password');
    await expect(h.client().send(new CreateUserCommand({ ...base, InstanceId: managed, Password: 'Sup3rSecret' }))).resolves.toMatchObject({ UserId: expect.any(String) });
  });

  it('refuses a Password on a SAML instance', async () => {
    const err = await rejectionOf(
      h.client().send(new CreateUserCommand({ ...base, InstanceId: I, RoutingProfileId: P.routingProfiles.basic, SecurityProfileIds: [P.securityProfiles.agent], Password: 'Sup3rSecret' })),
    );
    expect(err.name).toBe('InvalidRequestException');
  });
});

describe('Connect emulator persistence', () => {
  it('survives toJSON, JSON text and fromJSON with every user and profile', async () => {
    const first = seedConnectSample(new ConnectEmulator({ now: () => FIXED_NOW }));
    first.updateUserRoutingProfile(I, P.users.adaLovelace, P.routingProfiles.basic);
    const restored = ConnectEmulator.fromJSON(JSON.parse(JSON.stringify(first)));
    expect(restored.toJSON()).toEqual(first.toJSON());

    const h = await startConnect({ emulator: restored });
    try {
      const { User: ada } = await h.client().send(new DescribeUserCommand({ InstanceId: I, UserId: P.users.adaLovelace }));
      expect(ada?.RoutingProfileId).toBe(P.routingProfiles.basic);
    } finally {
      await h.stop();
    }
  });

  it('refuses state that is not its own, naming what is wrong', () => {
    expect(() => ConnectEmulator.fromJSON({ version: 1, instances: [{ id: 'x' }] })).toThrow(/instances\.0\.alias/);
  });
});
