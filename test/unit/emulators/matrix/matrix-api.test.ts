/** The Matrix homeserver emulator at the client-server API's real paths, through matrix-js-sdk (the bot's client): shapes and errors. */
import { LOCAL_DEFAULTS } from '../../../../config/local-defaults';
import { MatrixCallError, SdkMatrixApi } from '../../../../lambdas/providers/matrix/matrix-client';
import { MatrixEmulator } from '../../../../local/emulators/matrix/matrix-emulator';
import { SAMPLE_MATRIX, seedMatrixSample } from '../../../../local/emulators/matrix/matrix-sample';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';

describe('the Matrix homeserver emulator', () => {
  let emulator: MatrixEmulator;
  let server: EmulatorServer;
  let api: SdkMatrixApi;
  const as = (token: string) => new SdkMatrixApi({ baseUrl: server.url, userId: SAMPLE_MATRIX.bot, accessToken: token });

  beforeEach(async () => {
    emulator = seedMatrixSample(new MatrixEmulator());
    server = await startEmulatorServer(emulator.routes(), 0);
    api = as(LOCAL_DEFAULTS.matrixAccessToken);
  });
  afterEach(async () => {
    emulator.release();
    await server.stop();
  });

  const raw = async (method: string, path: string, body?: unknown, token: string | null = LOCAL_DEFAULTS.matrixAccessToken) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers /versions and /account/whoami as the spec shapes them', async () => {
    const versions = await raw('GET', '/_matrix/client/versions', undefined, null);
    expect(versions.body.versions).toEqual(expect.arrayContaining(['v1.1', 'v1.11']));
    expect(await api.whoami()).toBe(SAMPLE_MATRIX.bot);
  });

  it('refuses a missing or unknown token with 401 M_MISSING_TOKEN / M_UNKNOWN_TOKEN', async () => {
    expect(await raw('GET', '/_matrix/client/v3/account/whoami', undefined, null)).toMatchObject({ status: 401, body: { errcode: 'M_MISSING_TOKEN' } });
    await expect(as('wrong').whoami()).rejects.toMatchObject({ status: 401, code: 'M_UNKNOWN_TOKEN', retryable: false });
  });

  it('joins a room it is invited to by alias, answering the room id; a room it is not invited to is 403 M_FORBIDDEN; an unknown one 404 M_NOT_FOUND', async () => {
    expect(await api.join(SAMPLE_MATRIX.alias)).toBe(SAMPLE_MATRIX.roomId);
    emulator.addRoom({ roomId: '!private:localhost', members: [SAMPLE_MATRIX.admin] });
    await expect(api.join('!private:localhost')).rejects.toMatchObject({ status: 403, code: 'M_FORBIDDEN' });
    await expect(api.join('!nowhere:localhost')).rejects.toMatchObject({ status: 404, code: 'M_NOT_FOUND' });
  });

  it('reads m.room.power_levels of a joined room; a room not joined is 403', async () => {
    await expect(api.powerLevels(SAMPLE_MATRIX.roomId)).rejects.toMatchObject({ status: 403, code: 'M_FORBIDDEN' });
    await api.join(SAMPLE_MATRIX.roomId);
    expect(await api.powerLevels(SAMPLE_MATRIX.roomId)).toMatchObject({ users: { [SAMPLE_MATRIX.moderator]: 50 }, users_default: 0 });
  });

  it('sends with a transaction id once: the same txnId again answers the same event id', async () => {
    await api.join(SAMPLE_MATRIX.roomId);
    const first = await api.send(SAMPLE_MATRIX.roomId, 'm.room.message', 'txn1', { msgtype: 'm.notice', body: 'hello' });
    expect(first).toMatch(/^\$/);
    expect(await api.send(SAMPLE_MATRIX.roomId, 'm.room.message', 'txn1', { msgtype: 'm.notice', body: 'hello' })).toBe(first);
    expect(emulator.timeline(SAMPLE_MATRIX.roomId).filter((e) => e.event_id === first)).toHaveLength(1);
  });

  it('long-polls /sync from next_batch: waits for the next message and answers it in rooms.join.<room>.timeline', async () => {
    await api.join(SAMPLE_MATRIX.roomId);
    const initial = await api.sync(undefined, 0);
    expect(initial.next_batch).toMatch(/^s\d+$/);
    expect(initial.rooms?.join?.[SAMPLE_MATRIX.roomId]).toBeDefined();
    const waiting = api.sync(initial.next_batch, 5000);
    setTimeout(() => emulator.postMessage(SAMPLE_MATRIX.roomId, SAMPLE_MATRIX.moderator, '!help'), 100);
    const next = await waiting;
    const events = next.rooms?.join?.[SAMPLE_MATRIX.roomId]?.timeline?.events ?? [];
    expect(events).toEqual([expect.objectContaining({ type: 'm.room.message', sender: SAMPLE_MATRIX.moderator, content: { msgtype: 'm.text', body: '!help' } })]);
    expect(next.next_batch).not.toBe(initial.next_batch);
    // Nothing new: an empty answer at the timeout, with the same position.
    const empty = await api.sync(next.next_batch, 50);
    expect(empty.rooms?.join ?? {}).toEqual({});
    expect(empty.next_batch).toBe(next.next_batch);
  });

  it('a sync answers at most the filter\'s room.timeline.limit events of a room, the newest, limited with a prev_batch when more were waiting', async () => {
    await api.join(SAMPLE_MATRIX.roomId);
    const small = new SdkMatrixApi({ baseUrl: server.url, userId: SAMPLE_MATRIX.bot, accessToken: LOCAL_DEFAULTS.matrixAccessToken, timelineLimit: 3 });
    const since = (await small.sync(undefined, 0)).next_batch;
    for (let i = 1; i <= 5; i += 1) emulator.postMessage(SAMPLE_MATRIX.roomId, SAMPLE_MATRIX.moderator, `m${i}`);
    const timeline = (await small.sync(since, 0)).rooms?.join?.[SAMPLE_MATRIX.roomId]?.timeline;
    expect(timeline?.events?.map((e) => e.content.body)).toEqual(['m3', 'm4', 'm5']);
    expect(timeline).toMatchObject({ limited: true, prev_batch: expect.stringMatching(/^s\d+$/) });
    // Fewer than the limit: the whole of it, not limited.
    const next = (await small.sync(since, 0)).next_batch;
    emulator.postMessage(SAMPLE_MATRIX.roomId, SAMPLE_MATRIX.moderator, 'm6');
    const whole = (await small.sync(next, 0)).rooms?.join?.[SAMPLE_MATRIX.roomId]?.timeline;
    expect(whole).toMatchObject({ limited: false, events: [expect.objectContaining({ content: { msgtype: 'm.text', body: 'm6' } })] });
    // No filter: the homeserver's default of 10.
    for (let i = 7; i <= 12; i += 1) emulator.postMessage(SAMPLE_MATRIX.roomId, SAMPLE_MATRIX.moderator, `m${i}`);
    const plain = await raw('GET', '/_matrix/client/v3/sync?timeout=0');
    const events = (plain.body.rooms as { join: Record<string, { timeline: { events: unknown[]; limited: boolean } }> }).join[SAMPLE_MATRIX.roomId].timeline;
    expect(events.events).toHaveLength(10);
    expect(events.limited).toBe(true);
    expect(await raw('GET', `/_matrix/client/v3/sync?timeout=0&filter=${encodeURIComponent('{"room":')}`)).toMatchObject({ status: 400, body: { errcode: 'M_NOT_JSON' } });
  });

  it('a filter with room.timeline.limit 0 carries no events of a room that heard some: limited, with a prev_batch to read them back', async () => {
    await api.join(SAMPLE_MATRIX.roomId);
    const none = new SdkMatrixApi({ baseUrl: server.url, userId: SAMPLE_MATRIX.bot, accessToken: LOCAL_DEFAULTS.matrixAccessToken, timelineLimit: 0 });
    const since = (await none.sync(undefined, 0)).next_batch;
    // Nothing new: the room is not in the answer.
    expect((await none.sync(since, 0)).rooms?.join?.[SAMPLE_MATRIX.roomId]).toBeUndefined();
    for (let i = 1; i <= 3; i += 1) emulator.postMessage(SAMPLE_MATRIX.roomId, SAMPLE_MATRIX.moderator, `m${i}`);
    const timeline = (await none.sync(since, 0)).rooms?.join?.[SAMPLE_MATRIX.roomId]?.timeline;
    expect(timeline).toEqual({ events: [], limited: true, prev_batch: expect.stringMatching(/^s\d+$/) });
    const gap = await none.messages(SAMPLE_MATRIX.roomId, { from: timeline!.prev_batch!, dir: 'b', limit: 10, to: since });
    expect(gap.chunk.map((e) => e.content.body)).toEqual(['m3', 'm2', 'm1']);
    expect(gap.end).toBeUndefined();
  });

  it('with its test switch, /messages reads past `to` into older history, as a homeserver that does not honour it', async () => {
    await api.join(SAMPLE_MATRIX.roomId);
    emulator.postMessage(SAMPLE_MATRIX.roomId, SAMPLE_MATRIX.moderator, 'before');
    const small = new SdkMatrixApi({ baseUrl: server.url, userId: SAMPLE_MATRIX.bot, accessToken: LOCAL_DEFAULTS.matrixAccessToken, timelineLimit: 1 });
    const since = (await small.sync(undefined, 0)).next_batch;
    for (let i = 1; i <= 3; i += 1) emulator.postMessage(SAMPLE_MATRIX.roomId, SAMPLE_MATRIX.moderator, `m${i}`);
    const prevBatch = (await small.sync(since, 0)).rooms!.join![SAMPLE_MATRIX.roomId].timeline!.prev_batch!;
    const read = () => small.messages(SAMPLE_MATRIX.roomId, { from: prevBatch, dir: 'b', limit: 3, to: since });
    expect((await read()).chunk.map((e) => e.content.body)).toEqual(['m2', 'm1']);
    emulator.ignoreMessagesTo = true;
    const past = await read();
    expect(past.chunk.map((e) => e.content.body)).toEqual(['m2', 'm1', 'before']);
    expect(past.end).toEqual(expect.stringMatching(/^s\d+$/));
  });

  it('/rooms/{roomId}/messages pages back from a prev_batch to a `to` token: {chunk, start, end}, newest first, no end once read', async () => {
    await api.join(SAMPLE_MATRIX.roomId);
    const small = new SdkMatrixApi({ baseUrl: server.url, userId: SAMPLE_MATRIX.bot, accessToken: LOCAL_DEFAULTS.matrixAccessToken, timelineLimit: 2 });
    const since = (await small.sync(undefined, 0)).next_batch;
    for (let i = 1; i <= 5; i += 1) emulator.postMessage(SAMPLE_MATRIX.roomId, SAMPLE_MATRIX.moderator, `m${i}`);
    const prevBatch = (await small.sync(since, 0)).rooms!.join![SAMPLE_MATRIX.roomId].timeline!.prev_batch!;
    const path = (q: string) => `/_matrix/client/v3/rooms/${encodeURIComponent(SAMPLE_MATRIX.roomId)}/messages?${q}`;
    const first = await raw('GET', path(`from=${prevBatch}&dir=b&limit=2&to=${since}`));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ chunk: [expect.objectContaining({ room_id: SAMPLE_MATRIX.roomId, content: { msgtype: 'm.text', body: 'm3' } }), expect.objectContaining({ content: { msgtype: 'm.text', body: 'm2' } })], start: prevBatch, end: expect.stringMatching(/^s\d+$/) });
    const second = await small.messages(SAMPLE_MATRIX.roomId, { from: String(first.body.end), dir: 'b', limit: 2, to: since });
    expect(second.chunk.map((e) => e.content.body)).toEqual(['m1']);
    expect(second.end).toBeUndefined();
    // Forwards from the earlier position: the gap oldest first, then on to the newest.
    const forwards = await small.messages(SAMPLE_MATRIX.roomId, { from: since, dir: 'f', limit: 10 });
    expect(forwards.chunk.map((e) => e.content.body)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(forwards.end).toBeUndefined();
    // Without `to`, backwards reads on into the room's older history, to its start (the bot's join): no end there.
    const older = await small.messages(SAMPLE_MATRIX.roomId, { from: prevBatch, dir: 'b', limit: 10 });
    expect(older.chunk.map((e) => e.type === 'm.room.member' ? e.state_key : e.content.body)).toEqual(['m3', 'm2', 'm1', SAMPLE_MATRIX.bot]);
    expect(older.end).toBeUndefined();
  });

  it('/messages of a room the user is not in is 403 M_FORBIDDEN; a bad dir or token is 400 M_INVALID_PARAM', async () => {
    await expect(api.messages(SAMPLE_MATRIX.roomId, { from: 's1', dir: 'b', limit: 5 })).rejects.toMatchObject({ status: 403, code: 'M_FORBIDDEN', retryable: false });
    await api.join(SAMPLE_MATRIX.roomId);
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(SAMPLE_MATRIX.roomId)}/messages`;
    expect(await raw('GET', `${path}?dir=x`)).toMatchObject({ status: 400, body: { errcode: 'M_INVALID_PARAM' } });
    expect(await raw('GET', `${path}?dir=b&from=nope`)).toMatchObject({ status: 400, body: { errcode: 'M_INVALID_PARAM' } });
    expect(await raw('GET', `${path}?dir=b`, undefined, null)).toMatchObject({ status: 401, body: { errcode: 'M_MISSING_TOKEN' } });
  });

  it('an injected 429 is M_LIMIT_EXCEEDED with retry_after_ms and Retry-After; the client reads the wait', async () => {
    emulator.faults.failNext({ path: '/sync$', count: 1, status: 429, retryAfterSeconds: 2 });
    const res = await raw('GET', '/_matrix/client/v3/sync?timeout=0');
    expect(res).toMatchObject({ status: 429, body: { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 2000 } });
    expect(res.headers.get('retry-after')).toBe('2');
    emulator.faults.failNext({ path: '/sync$', count: 1, status: 429, retryAfterSeconds: 3 });
    const err = await api.sync(undefined, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatrixCallError);
    expect(err).toMatchObject({ status: 429, code: 'M_LIMIT_EXCEEDED', retryable: true, retryAfterMs: 3000 });
  });

  it('an injected 500 is retryable, a 403 is not; an unknown /_matrix path is 404 M_UNRECOGNIZED', async () => {
    emulator.faults.failNext({ path: '/whoami$', count: 1, status: 500 });
    await expect(api.whoami()).rejects.toMatchObject({ status: 500, code: 'M_UNKNOWN', retryable: true });
    emulator.faults.failNext({ path: '/whoami$', count: 1, status: 403 });
    await expect(api.whoami()).rejects.toMatchObject({ status: 403, code: 'M_FORBIDDEN', retryable: false });
    expect(await raw('GET', '/_matrix/client/v3/nothing-here')).toMatchObject({ status: 404, body: { errcode: 'M_UNRECOGNIZED' } });
  });

  it('the emulator-only route posts as a member and refuses a non-member', async () => {
    const posted = await raw('POST', `/_emulator/matrix/rooms/${encodeURIComponent(SAMPLE_MATRIX.alias)}/messages`, { sender: SAMPLE_MATRIX.moderator, body: '!help' }, null);
    expect(posted).toMatchObject({ status: 200, body: { room_id: SAMPLE_MATRIX.roomId, event_id: expect.stringMatching(/^\$/) } });
    expect((await raw('POST', `/_emulator/matrix/rooms/${encodeURIComponent(SAMPLE_MATRIX.roomId)}/messages`, { sender: '@mallory:localhost', body: 'hi' }, null)).status).toBe(403);
  });
});
