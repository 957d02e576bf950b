/**
 * The Matrix bot end to end, against the homeserver emulator at the client-server API's real paths: a moderator's `!on`
 * proposes a hire that waits for approval and is answered in the command's thread; approved and run, the thread hears
 * that the accounts are ready. Bad input is answered naming the field, with nothing written; a member below the power
 * level is ignored and logged by ids; the same event twice proposes once; more commands between two syncs than one
 * answer carries are all answered, once each, in order.
 */
import { restoreLogLevel } from '../support/verbose-logs';
import { LOCAL_DEFAULTS } from '../../config/local-defaults';
import { derivedEmployeeId } from '../../lambdas/engine/hire-import';
import { DynamoMatrixBotStore } from '../../lambdas/store/dynamo/matrix-repository';
import { createDocumentClient } from '../../lambdas/store/dynamo-store';
import { LOCAL_AWS } from '../../local/embedded-store';
import { SYNC_TIMELINE_LIMIT } from '../../lambdas/providers/matrix/matrix-client';
import { SAMPLE_MATRIX } from '../../local/emulators/matrix/matrix-sample';
import type { Runtime } from '../../local/runtime';
import { eventually, operator, postEvent, runReaches, start } from '../support/harness';
import { daysFromToday } from '../support/builders';

const ROOM = SAMPLE_MATRIX.roomId;

describe('the Matrix bot', () => {
  let rt: Runtime;
  const lines: string[] = [];
  let spies: jest.SpyInstance[] = [];

  const post = async (sender: string, body: string) => {
    const res = await fetch(`${rt.emulatorUrl}/_emulator/matrix/rooms/${encodeURIComponent(ROOM)}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sender, body }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { event_id: string }).event_id;
  };
  const replies = (eventId: string) => rt.emulators.matrix.thread(ROOM, eventId).filter((e) => e.sender === SAMPLE_MATRIX.bot);
  const replyTexts = (eventId: string) => replies(eventId).map((e) => String(e.content.body));
  const waitForReplies = (eventId: string, n: number) => eventually(async () => replies(eventId).length >= n && replyTexts(eventId), 20_000, `${n} replies to ${eventId}`);
  const logged = () => lines.map((l) => l.trim()).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    const capture = (chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
    rt = await start({ matrix: { startInDays: 0, syncTimeoutMs: 2000 } });
    // The bot has joined and taken its first position: what is said from now on is a command to it.
    const store = new DynamoMatrixBotStore({ doc: createDocumentClient({ ...LOCAL_AWS, endpoint: rt.storeEndpoint }), name: LOCAL_DEFAULTS.tableName });
    await eventually(() => store.syncPosition(), 20_000, 'the bot to sync');
  });
  afterAll(async () => {
    await rt.stop();
    for (const spy of spies) spy.mockRestore();
    restoreLogLevel();
  });

  it('!on by a moderator proposes a hire awaiting approval, answered in the thread; approved and run, the thread hears the accounts are ready', async () => {
    const command = await post(SAMPLE_MATRIX.moderator, '!on Ada Lovelace ada@home.example');
    const [first] = await waitForReplies(command, 1);
    expect(first).toMatch(/^Proposed the hire of Ada Lovelace .*It awaits approval/);
    // The reply is in the command's thread and quotes it.
    expect(replies(command)[0].content['m.relates_to']).toEqual({ rel_type: 'm.thread', event_id: command, is_falling_back: true, 'm.in_reply_to': { event_id: command } });

    const employeeId = derivedEmployeeId('ada@home.example');
    const runs = await rt.engine.store.listRuns(employeeId);
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run).toMatchObject({ type: 'hire', status: 'awaiting_approval', proposal: { source: 'matrix', proposedBy: SAMPLE_MATRIX.moderator, reference: command } });
    expect(run.employee).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', personalEmail: 'ada@home.example' });
    expect(run.approval?.requiredBy).toContain(`proposed in Matrix by ${SAMPLE_MATRIX.moderator}`);
    expect(run.steps.every((s) => s.status === 'pending')).toBe(true);

    // The normal operator approval.
    const shown = await operator(rt, 'GET', `/v1/runs/${run.runId}`);
    const approved = await operator(rt, 'POST', `/v1/runs/${run.runId}/approve`, { planHash: shown.body.approval.planHash });
    expect(approved.status).toBe(200);
    await runReaches(rt, employeeId, run.runId, 'completed');
    const texts = await waitForReplies(command, 2);
    expect(texts[1]).toMatch(/^The accounts of Ada Lovelace are ready/);
    expect(texts[1]).toContain(run.runId);
  });

  it('!on with a bad email is answered naming the field, and nothing is written', async () => {
    const waitingBefore = (await rt.engine.store.listAllRunsByStatus('awaiting_approval')).length;
    const command = await post(SAMPLE_MATRIX.moderator, '!on Grace Hopper grace-at-home.example');
    const [reply] = await waitForReplies(command, 1);
    expect(reply).toMatch(/^Not done: email: "grace-at-home.example" is not an email address/);
    expect(await rt.engine.store.getEmployee(derivedEmployeeId('grace-at-home.example'))).toBeUndefined();
    expect((await rt.engine.store.listAllRunsByStatus('awaiting_approval')).length).toBe(waitingBefore);

    const missing = await post(SAMPLE_MATRIX.moderator, '!on Grace grace@home.example');
    expect((await waitForReplies(missing, 1))[0]).toMatch(/last name: is missing/);
    expect(await rt.engine.store.getEmployee(derivedEmployeeId('grace@home.example'))).toBeUndefined();
  });

  it('a message from a member below the power level is ignored and logged by ids and level, never its text', async () => {
    const command = await post(SAMPLE_MATRIX.member, '!on Mallory Intruder mallory@home.example');
    const line = await eventually(async () => logged().find((l) => l.message === 'matrix command ignored: sender below the power level' && l.eventId === command), 20_000, 'the ignored command logged');
    expect(line).toMatchObject({ roomId: ROOM, eventId: command, powerLevel: 0, required: 50 });
    // Handled after it: a later command is answered, so the ignored one has been read by now.
    const help = await post(SAMPLE_MATRIX.moderator, '!help');
    await waitForReplies(help, 1);
    expect(replies(command)).toHaveLength(0);
    expect(await rt.engine.store.getEmployee(derivedEmployeeId('mallory@home.example'))).toBeUndefined();
    expect(lines.join('')).not.toContain('mallory@home.example');
    expect(lines.join('')).not.toContain('Mallory');
  });

  it('the same event delivered twice proposes once and is answered once', async () => {
    const command = await post(SAMPLE_MATRIX.moderator, '!on Alan Turing alan@home.example');
    await waitForReplies(command, 1);
    rt.emulators.matrix.redeliver(ROOM, command);
    await eventually(async () => logged().some((l) => l.message === 'matrix command already handled' && l.eventId === command), 20_000, 'the repeat seen');
    expect(await rt.engine.store.listRuns(derivedEmployeeId('alan@home.example'))).toHaveLength(1);
    expect(replies(command)).toHaveLength(1);
  });

  it('!status answers what the engine knows; !help lists the commands', async () => {
    const status = await post(SAMPLE_MATRIX.moderator, '!status alan@home.example');
    const [text] = await waitForReplies(status, 1);
    expect(text).toMatch(/^Alan Turing \(proposed here\):\n {2}hire run \S+, \d{4}-\d\d-\d\d: awaiting approval/);
    const byName = await post(SAMPLE_MATRIX.moderator, '!status Ada Lovelace');
    const [adaText] = await waitForReplies(byName, 1);
    expect(adaText).toMatch(/hire run \S+, \d{4}-\d\d-\d\d: done: the accounts are ready/);
    // A chat room is told of hires proposed in it only, and never an address.
    expect(adaText).not.toContain('@');
    const hr = await postEvent(rt, { eventId: 'matrix-status-hr-hire', type: 'hire', effectiveDate: daysFromToday(30), employee: { id: 'E-HR-1', firstName: 'Hedy', lastName: 'Lamarr', email: 'hedy.lamarr@example.com', personalEmail: 'hedy@home.example', managerEmail: 'grace.hopper@example.com', role: 'employee', timezone: 'UTC' } });
    expect({ status: hr.status, body: hr.body }).toMatchObject({ status: 202 });
    const other = await post(SAMPLE_MATRIX.moderator, '!status Hedy Lamarr');
    expect((await waitForReplies(other, 1))[0]).toBe('No hire proposed here is known by "Hedy Lamarr".');
    const help = await post(SAMPLE_MATRIX.moderator, '!help');
    const [helpText] = await waitForReplies(help, 1);
    expect(helpText).toContain('!on <first name> <last name> <email>');
    expect(helpText).toContain('!status <name or email>');
  });

  it('more commands between two syncs than one answer carries: each answered once, in the order typed', async () => {
    const before = new Set(rt.emulators.matrix.timeline(ROOM).map((e) => e.event_id));
    // Typed in one go, before the bot's waiting sync can answer: the next answer carries the newest 500 only (limited).
    const commands: string[] = [];
    for (let i = 0; i < SYNC_TIMELINE_LIMIT + 12; i += 1) {
      const body = i === 0 || i === SYNC_TIMELINE_LIMIT + 11 ? `!on Edsger${i} Dijkstra edsger${i}@home.example` : '!help';
      commands.push(rt.emulators.matrix.postMessage(ROOM, SAMPLE_MATRIX.moderator, body).event_id);
    }
    const answered = () => rt.emulators.matrix.timeline(ROOM).filter((e) => !before.has(e.event_id) && e.sender === SAMPLE_MATRIX.bot).map((e) => (e.content['m.relates_to'] as { 'm.in_reply_to': { event_id: string } })['m.in_reply_to'].event_id);
    await eventually(async () => answered().length >= commands.length, 50_000, 'every command answered');
    expect(answered()).toEqual(commands);
    const gap = logged().find((l) => l.message === 'matrix sync answer limited: the gap read back');
    // The 12 commands past the limit, and any reply of the bot's own that landed in the same gap.
    expect(gap).toMatchObject({ roomId: ROOM });
    expect(gap!.events).toBeGreaterThanOrEqual(12);
    expect(await rt.engine.store.listRuns(derivedEmployeeId('edsger0@home.example'))).toHaveLength(1);
    expect(await rt.engine.store.listRuns(derivedEmployeeId(`edsger${SYNC_TIMELINE_LIMIT + 11}@home.example`))).toHaveLength(1);
  }, 60_000);
});
