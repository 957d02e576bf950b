/** The member task poll's position on the embedded DynamoDB-compatible store, held to the same contract as the in-memory one. */
import { MemoryMemberTaskPollStore, type MemberTaskPollStore } from '../../../lambdas/openproject/member-task-poll';
import { createDocumentClient } from '../../../lambdas/store/dynamo-store';
import { DynamoMemberTaskPollStore } from '../../../lambdas/store/dynamo/member-task-poll-repository';
import { LOCAL_AWS, startEmbeddedStore, type EmbeddedStore } from '../../../local/embedded-store';

const TABLE = 'member-task-poll-test';
let server: EmbeddedStore;
let doc: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  server = await startEmbeddedStore({ tableName: TABLE });
  doc = createDocumentClient({ ...LOCAL_AWS, endpoint: server.endpoint });
});
afterAll(() => server.stop());

const AT = '2026-11-30T08:00:00.000Z';

describe.each([
  ['dynamo', () => new DynamoMemberTaskPollStore({ doc, name: TABLE })],
  ['memory', () => new MemoryMemberTaskPollStore()],
])('the member task poll position (%s)', (_name, make: () => MemberTaskPollStore) => {
  it('none at first; saved over the value read only, so a turn that started from an older position writes nothing', async () => {
    const store = make();
    expect(await store.position()).toBeUndefined();
    // A save that expects a position there is none of is refused.
    expect(await store.savePosition('2026-11-30T07:00:00Z', '2026-11-30T06:00:00Z', AT)).toBe(false);
    expect(await store.savePosition('2026-11-30T07:00:00Z', undefined, AT)).toBe(true);
    expect(await store.position()).toBe('2026-11-30T07:00:00Z');
    // A second first turn, overlapping the first, loses.
    expect(await store.savePosition('2026-11-30T06:30:00Z', undefined, AT)).toBe(false);
    expect(await store.savePosition('2026-11-30T07:30:00Z', '2026-11-30T07:00:00Z', AT)).toBe(true);
    // A turn that read 07:00 and finished after the one that moved it to 07:30 does not move it back.
    expect(await store.savePosition('2026-11-30T07:10:00Z', '2026-11-30T07:00:00Z', AT)).toBe(false);
    expect(await store.position()).toBe('2026-11-30T07:30:00Z');
  });
});
