/**
 * The Connect budget and the calls a leaver saves: every request of a Connect step takes from its API's budget as the
 * step's class (`lockout` first), the SDK's retries too; the instance's agent statuses are listed once per container.
 */
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { DescribeUserCommand, ListUsersCommand } from '@aws-sdk/client-connect';
import { removeConnectAgent } from '../../../../lambdas/actions/connect/remove-agent';
import { setAgentOffline } from '../../../../lambdas/actions/connect/set-agent-offline';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import { runAction } from '../../../../lambdas/actions/run-action';
import { AGENT_STATUS_TTL_MS, offlineStatus } from '../../../../lambdas/providers/connect/agent-status';
import { asConnectStep, budgetWaitLeftMs, connectBudgets, type ConnectBudgets } from '../../../../lambdas/providers/connect/connect-budget';
import { LOCAL_CONNECT_CREDENTIALS } from '../../../../lambdas/providers/connect/connect-client';
import { createConnectProvider } from '../../../../lambdas/providers/connect/connect-provider';
import type { ConnectProvider } from '../../../../lambdas/providers/providers';
import { BUDGET_RETRY_SLACK_MS } from '../../../../lambdas/actions/budget-deferral';
import { TokenBucket, WaitLine, type RequestBudget, type RequestPriority, type TakeOptions } from '../../../../lambdas/providers/rate-limited-fetch';
import { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { connectEmulatorRoutes } from '../../../../local/emulators/connect/connect-routes';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID as I, seedConnectSample } from '../../../../local/emulators/connect/connect-sample';
import { SAMPLE_EMPLOYEE_IDS } from '../../../../local/emulators/google/sample';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';
import { connectRequest } from '../../../support/connect-emulator';

const ADA = SAMPLE_CONNECT.users.adaLovelace;

/** A budget that lets requests through only when the test says, in the order the real budgets' line gives. */
class GateBudget implements RequestBudget {
  private readonly line = new WaitLine();
  readonly taken: (RequestPriority | undefined)[] = [];
  take(priority?: RequestPriority): Promise<void> {
    const turn = this.line.add(priority);
    return turn;
  }
  get waiting(): number {
    return this.line.size;
  }
  release(): void {
    const next = this.line.next();
    if (!next) throw new Error('nobody waits');
    this.taken.push(next.priority);
    next.resolve();
  }
}

/** A budget that lets everything through and writes down what took from it. */
function recordingBudgets(): { budgets: ConnectBudgets; taken: [string, RequestPriority | undefined][] } {
  const taken: [string, RequestPriority | undefined][] = [];
  return { taken, budgets: connectBudgets((name) => ({ take: (priority) => Promise.resolve(void taken.push([name, priority])) })) };
}

/** Polls until `done` holds, with a deadline: no fixed sleeps. */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('the Connect budget and the calls a leaver saves', () => {
  let emulator: ConnectEmulator;
  let server: EmulatorServer;
  const providers: ConnectProvider[] = [];
  beforeEach(async () => {
    emulator = seedConnectSample(new ConnectEmulator());
    server = await startEmulatorServer(connectEmulatorRoutes(emulator), 0);
    // Generous rates: nothing is refused, and the throttle counts every request per API.
    emulator.throttle.set({ default: { perSecond: 10_000, burst: 10_000 } });
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) p.client.destroy();
    await server.stop();
  });

  const provider = (budgets?: ConnectBudgets, maxAttempts = 1): ConnectProvider => {
    const p = createConnectProvider({ region: 'eu-central-1', endpoint: server.url, credentials: LOCAL_CONNECT_CREDENTIALS, maxAttempts, instanceId: I, ...(budgets ? { budgets } : {}) });
    providers.push(p);
    return p;
  };
  const ctxOf = (p: ConnectProvider): ActionContext => ({ fetch, clock: { now: () => new Date() }, providers: { connect: () => p } });
  const calls = () => Object.fromEntries(emulator.throttle.requests);

  it('serves a lockout request before the protect and housekeeping requests that asked first', async () => {
    const gate = new GateBudget();
    const p = provider(connectBudgets(() => gate));
    const order: string[] = [];
    const send = (priority: RequestPriority, label: string) =>
      p.withPriority!(priority).client.send(new DescribeUserCommand({ InstanceId: I, UserId: ADA })).then(() => void order.push(label));
    const sent = [send('housekeeping', 'housekeeping'), send('protect', 'protect')];
    await until(() => gate.waiting === 2, 'both lower requests wait');
    sent.push(send('lockout', 'lockout'));
    await until(() => gate.waiting === 3, 'the lockout request waits too');
    for (let n = 1; n <= 3; n += 1) {
      gate.release();
      await until(() => order.length === n, `request ${n} is answered`);
    }
    await Promise.all(sent);
    expect(order).toEqual(['lockout', 'housekeeping', 'protect']);
    expect(gate.taken).toEqual(['lockout', 'housekeeping', 'protect']);
    expect(calls()).toEqual({ DescribeUser: 3 });
  });

  it('takes from the budget of each API, as the class of the step: a lockout step all lockout', async () => {
    emulator.logIn(I, ADA);
    const { budgets, taken } = recordingBudgets();
    const res = await runAction(setAgentOffline, ctxOf(provider(budgets)), connectRequest('connect.setAgentOffline', { priority: 'lockout' }));
    expect(res.ok).toBe(true);
    expect(taken).toEqual([
      ['connect.ListUsers', 'lockout'],
      ['connect.DescribeUser', 'lockout'],
      ['connect.ListAgentStatuses', 'lockout'],
      ['connect.GetCurrentUserData', 'lockout'],
      ['connect.PutUserStatus', 'lockout'],
      ['connect.GetCurrentUserData', 'lockout'],
    ]);
    const removal = await runAction(removeConnectAgent, ctxOf(provider(budgets)), connectRequest('connect.removeAgent', { priority: 'housekeeping' }));
    expect(removal.ok).toBe(true);
    expect(new Set(taken.slice(6).map(([, priority]) => priority))).toEqual(new Set(['housekeeping']));
  });

  it('lists the users once per container and describes the agent once per step: the action takes the agent the account check found', async () => {
    emulator.logIn(I, ADA);
    const p = provider();
    expect((await runAction(setAgentOffline, ctxOf(p), connectRequest('connect.setAgentOffline'))).ok).toBe(true);
    expect(calls()).toMatchObject({ ListUsers: 1, DescribeUser: 1, ListAgentStatuses: 1, GetCurrentUserData: 2, PutUserStatus: 1 });
    emulator.throttle.set({ default: { perSecond: 10_000, burst: 10_000 } });
    expect((await runAction(removeConnectAgent, ctxOf(p), connectRequest('connect.removeAgent'))).ok).toBe(true);
    // The container listed the users a moment ago: DescribeUser confirms the agent, and serves the snapshot too; the
    // one after DeleteUser checks it is gone.
    expect(calls()).toEqual({ DescribeUser: 2, GetCurrentUserData: 1, DeleteUser: 1 });
  });

  it('looks no further when the account check found no agent: no agent made since, unchecked, is taken offline or removed', async () => {
    const p = provider();
    const nobody = { employee: { id: 'E999', email: 'nobody@example.com', firstName: 'No', lastName: 'Body' } } as Partial<ActionRequest>;
    const offline = await runAction(setAgentOffline, ctxOf(p), connectRequest('connect.setAgentOffline', nobody));
    const removal = await runAction(removeConnectAgent, ctxOf(p), connectRequest('connect.removeAgent', nobody));
    expect(offline.ok && offline.note).toMatch(/no Connect agent/);
    expect(removal.ok && removal.note).toMatch(/nothing to remove/);
    // One list per account check (a name missing from the container's list is listed again, for an agent made within
    // the minute) and none by the actions themselves.
    expect(calls()).toEqual({ ListUsers: 2 });
  });

  it('lists the instance agent statuses once for two offline steps in one container, whatever their class', async () => {
    emulator.logIn(I, ADA);
    emulator.logIn(I, SAMPLE_CONNECT.users.graceHopper);
    const p = provider();
    const grace = { id: SAMPLE_EMPLOYEE_IDS.grace, firstName: 'Grace', email: 'grace.hopper@example.com', timezone: 'Europe/Berlin' };
    expect((await runAction(setAgentOffline, ctxOf(p), connectRequest('connect.setAgentOffline', { priority: 'lockout' }))).ok).toBe(true);
    expect((await runAction(setAgentOffline, ctxOf(p), connectRequest('connect.setAgentOffline', { priority: 'protect', employee: grace }))).ok).toBe(true);
    expect(calls()).toMatchObject({ ListAgentStatuses: 1, PutUserStatus: 2 });
  });

  it('reads the agent statuses again once they are older than the cache keeps them', async () => {
    const p = provider();
    let now = 1_000_000;
    await offlineStatus(p.client, I, () => now);
    now += AGENT_STATUS_TTL_MS - 1;
    await offlineStatus(p.withPriority!('lockout').client, I, () => now);
    expect(calls()).toEqual({ ListAgentStatuses: 1 });
    now += 1;
    await offlineStatus(p.client, I, () => now);
    expect(calls()).toEqual({ ListAgentStatuses: 2 });
  });

  it('takes from the budget again for each of the SDK retries after a 429', async () => {
    emulator.throttle.set({ default: { perSecond: 0.001, burst: 1 } });
    const { budgets, taken } = recordingBudgets();
    const p = provider(budgets, 2);
    await p.withPriority!('lockout').client.send(new ListUsersCommand({ InstanceId: I }));
    await expect(p.withPriority!('lockout').client.send(new ListUsersCommand({ InstanceId: I }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(taken).toEqual([
      ['connect.ListUsers', 'lockout'],
      ['connect.ListUsers', 'lockout'],
      ['connect.ListUsers', 'lockout'],
    ]);
  });
  /**
   * Budgets that let everything through but `operation`'s, whose bucket (one a second) is spent: its next request's
   * turn is a second away, longer than the 500 ms a request may wait here.
   */
  async function spentFor(operation: string): Promise<{ budgets: ConnectBudgets; takes: () => number; turnAt: number }> {
    const bucket = new TokenBucket(60, 1, Date.now, `connect.${operation}`);
    await bucket.take();
    const turnAt = Date.now() + 1_000;
    let takes = 0;
    const counted: RequestBudget = { take: (priority?: RequestPriority, options?: TakeOptions) => ((takes += 1), bucket.take(priority, options)) };
    return { budgets: connectBudgets((name) => (name === `connect.${operation}` ? counted : { take: () => Promise.resolve() })), takes: () => takes, turnAt };
  }
  const waitingProvider = (budgets: ConnectBudgets): ConnectProvider => {
    const p = createConnectProvider({ region: 'eu-central-1', endpoint: server.url, credentials: LOCAL_CONNECT_CREDENTIALS, maxAttempts: 3, instanceId: I, budgets, maxBudgetWaitMs: 500 });
    providers.push(p);
    return p;
  };

  it('answers "check again when its turn comes" for a removal whose account check would wait in line past its limit: nothing sent, no retry spent', async () => {
    const { budgets, takes, turnAt } = await spentFor('DescribeUser');
    const res = await runAction(removeConnectAgent, ctxOf(waitingProvider(budgets)), connectRequest('connect.removeAgent', { priority: 'housekeeping', progress: { note: 'kept' } }));
    expect(res).toMatchObject({ ok: true, progress: { note: 'kept' } });
    const checkAgainAt = Date.parse(res.ok ? (res.checkAgainAt ?? '') : '');
    // A little after the budget's turn, not at once and not after the step's timeout.
    expect(checkAgainAt).toBeGreaterThanOrEqual(turnAt);
    expect(checkAgainAt).toBeLessThanOrEqual(turnAt + BUDGET_RETRY_SLACK_MS + 1_000);
    expect(res.ok && res.note).toMatch(/connect\.DescribeUser budget's line/);
    // The SDK did not try again (three attempts allowed), nothing reached Connect beyond the list, the agent is there.
    expect(takes()).toBe(1);
    expect(calls()).toEqual({ ListUsers: 1 });
    expect(emulator.user(I, ADA)).toBeDefined();
  });

  it('keeps the snapshot it took when DeleteUser would wait past its limit, and the next look removes the agent and reports it', async () => {
    const { budgets, takes } = await spentFor('DeleteUser');
    const first = await runAction(removeConnectAgent, ctxOf(waitingProvider(budgets)), connectRequest('connect.removeAgent', { priority: 'housekeeping' }));
    expect(first).toMatchObject({ ok: true, progress: { snapshot: { username: 'ada.lovelace' } } });
    expect(first.ok && first.checkAgainAt).toBeTruthy();
    expect(takes()).toBe(1);
    expect(calls().DeleteUser).toBeUndefined();
    expect(emulator.user(I, ADA)).toBeDefined();

    const second = await runAction(removeConnectAgent, ctxOf(provider()), connectRequest('connect.removeAgent', { priority: 'housekeeping', progress: first.ok ? first.progress : undefined }));
    expect(second).toMatchObject({ ok: true, result: { removed: { agent: { username: 'ada.lovelace' } } } });
    expect(second.ok && second.checkAgainAt).toBeUndefined();
    expect(emulator.user(I, ADA)).toBeUndefined();
  });

  it('keeps the status it found when taking an agent offline would wait past its limit', async () => {
    emulator.logIn(I, ADA);
    const { budgets } = await spentFor('PutUserStatus');
    const res = await runAction(setAgentOffline, ctxOf(waitingProvider(budgets)), connectRequest('connect.setAgentOffline', { priority: 'lockout' }));
    expect(res).toMatchObject({ ok: true, progress: { previous: { statusName: 'Available' } } });
    expect(res.ok && res.checkAgainAt).toBeTruthy();
    expect(calls().PutUserStatus).toBeUndefined();
  });
  it('counts one wait for the whole step, its account check and its run together, from its first Connect request', async () => {
    const step = connectRequest('connect.removeAgent');
    const left: number[] = [];
    await asConnectStep(step, async () => void left.push(budgetWaitLeftMs(15_000, 1_000)), () => 1_000);
    await asConnectStep(step, async () => void left.push(budgetWaitLeftMs(15_000, 13_000)), () => 13_000);
    await asConnectStep(step, async () => void left.push(budgetWaitLeftMs(15_000, 20_000)), () => 20_000);
    // Another step, and a request outside any step, each have the whole limit.
    await asConnectStep(connectRequest('connect.removeAgent'), async () => void left.push(budgetWaitLeftMs(15_000, 20_000)), () => 20_000);
    left.push(budgetWaitLeftMs(15_000, 20_000));
    expect(left).toEqual([15_000, 3_000, 0, 15_000, 15_000]);
  });
});
