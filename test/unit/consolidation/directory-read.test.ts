/** The directory read function's jobs and how the api reaches it: events name the job, a run now is handed over (202), a remove fix revokes as the operator, the dry run is bounded. */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { LambdaDirectoryRead } from '../../../lambdas/adapters/aws/lambda-directory-read';
import { invokedConsolidationApi, invokedInactivityCheck, invokedInactivityRun, parseDirectoryReadEvent, runDirectoryRead, type DirectoryReadEvent, type DirectoryReadInvoker } from '../../../lambdas/consolidation/directory-read';
import type { ConsolidationReport, ConsolidationStore, Finding } from '../../../lambdas/consolidation/report';
import type { EngineDeps } from '../../../lambdas/engine/ports';
import type { InactivityReport } from '../../../lambdas/inactivity/check';
import { sampleReport } from '../../support/consolidation-report';

const report = sampleReport({ unbound: 1 });
const unbound: Finding = { id: 'b'.repeat(20), kind: 'unbound', system: 'google', account: { accountId: 'g1', email: 'other@example.com', active: true }, message: 'unbound', fixes: [{ fix: 'bind', description: '' }, { fix: 'remove', description: '' }] };

function invoker() {
  const started: DirectoryReadEvent[] = [];
  const called: [DirectoryReadEvent, number][] = [];
  const inv: DirectoryReadInvoker = {
    start: async (e) => void started.push(e),
    call: async (e, ms) => (called.push([e, ms]), { checkedAt: 'now', dryRun: true }),
  };
  return { inv, started, called };
}

const store = (latest?: ConsolidationReport): ConsolidationStore => ({ putReport: async () => undefined, latestReport: async () => latest, listEmployeeIds: async () => [] });

describe('directory read events', () => {
  it('a schedule without a job, or naming consolidation, is a consolidation; the requester is kept', () => {
    expect(parseDirectoryReadEvent({})).toEqual({ job: 'consolidation', requestedBy: 'schedule' });
    expect(parseDirectoryReadEvent({ 'detail-type': 'Scheduled Event' })).toEqual({ job: 'consolidation', requestedBy: 'schedule' });
    expect(parseDirectoryReadEvent({ job: 'consolidation', requestedBy: 'ops@example.com' })).toEqual({ job: 'consolidation', requestedBy: 'ops@example.com' });
  });

  it('an inactivity check is a dry run unless it says dryRun false', () => {
    expect(parseDirectoryReadEvent({ job: 'inactivity' })).toEqual({ job: 'inactivity', dryRun: true });
    expect(parseDirectoryReadEvent({ job: 'inactivity', dryRun: 'false' })).toEqual({ job: 'inactivity', dryRun: true });
    expect(parseDirectoryReadEvent({ job: 'inactivity', dryRun: false })).toEqual({ job: 'inactivity', dryRun: false });
  });

  it('an inactivity check run now names the operator; the schedule names nobody', () => {
    expect(parseDirectoryReadEvent({ job: 'inactivity', dryRun: false, requestedBy: 'ops@example.com' })).toEqual({ job: 'inactivity', dryRun: false, requestedBy: 'ops@example.com' });
    expect(parseDirectoryReadEvent({ job: 'inactivity', dryRun: false, requestedBy: '' })).toEqual({ job: 'inactivity', dryRun: false });
    expect(parseDirectoryReadEvent({ job: 'inactivity', dryRun: false, requestedBy: 7 })).toEqual({ job: 'inactivity', dryRun: false });
  });

  it('an unknown job is refused, naming the field, and runs nothing', async () => {
    const jobs = { consolidate: jest.fn(), checkInactivity: jest.fn() };
    await expect(runDirectoryRead(jobs, { job: 'delete' })).rejects.toThrow(/^job: must be consolidation or inactivity/);
    expect(jobs.consolidate).not.toHaveBeenCalled();
    expect(jobs.checkInactivity).not.toHaveBeenCalled();
  });

  it('runs the job asked: a consolidation answers ids and counts, a check its report', async () => {
    const checked = { checkedAt: 'x', dryRun: false } as unknown as InactivityReport;
    const jobs = { consolidate: jest.fn(async () => report), checkInactivity: jest.fn(async () => checked) };
    expect(await runDirectoryRead(jobs, { job: 'consolidation', requestedBy: 'ops' })).toEqual({ reportId: 'r1', counts: report.counts, systems: [{ system: 'google', ok: true, ms: 4000, calls: 21 }] });
    expect(jobs.consolidate).toHaveBeenCalledWith('ops');
    expect(await runDirectoryRead(jobs, { job: 'inactivity', dryRun: false })).toBe(checked);
    expect(jobs.checkInactivity).toHaveBeenCalledWith({ dryRun: false });
    await runDirectoryRead(jobs, { job: 'inactivity', dryRun: false, requestedBy: 'ops' });
    expect(jobs.checkInactivity).toHaveBeenLastCalledWith({ dryRun: false, requestedBy: 'ops' });
  });
});

describe('consolidation as the api serves it on AWS', () => {
  it('a run now is handed to the directory read function and accepted, not read in the api', async () => {
    const { inv, started } = invoker();
    const api = invokedConsolidationApi({ engine: {} as EngineDeps, store: store(report), invoker: inv, revokeSystemAccess: jest.fn() });
    expect(await api.run('ops@example.com')).toEqual({ accepted: true });
    expect(started).toEqual([{ job: 'consolidation', requestedBy: 'ops@example.com' }]);
    expect(await api.latest()).toBe(report);
  });

  it('a remove fix is a revoke run requested by the operator; an unknown finding changes nothing', async () => {
    const { inv, started } = invoker();
    const revoke = jest.fn(async () => ({ runId: 'rv', status: 'awaiting_approval' }));
    const api = invokedConsolidationApi({ engine: {} as EngineDeps, store: store({ ...report, findings: [unbound] }), invoker: inv, revokeSystemAccess: revoke });
    expect(await api.fix(unbound.id, { fix: 'remove' }, 'ops', 'sub-ops')).toMatchObject({ ok: true, runId: 'rv' });
    // Sent by the operator (name and token subject), so a second person approves it.
    expect(revoke).toHaveBeenCalledWith({}, expect.objectContaining({ system: 'google', accountId: 'g1', reason: 'consolidation', requestedBy: 'ops' }), { sentBy: 'ops', senderSubject: 'sub-ops' });
    expect(await api.fix('c'.repeat(20), { fix: 'remove' }, 'ops')).toMatchObject({ ok: false, status: 404 });
    expect(revoke).toHaveBeenCalledTimes(1);
    expect(started).toEqual([]);
  });

  it('the inactivity dry run is read by the function within the bounded time', async () => {
    const { inv, called } = invoker();
    expect(await invokedInactivityCheck(inv, 1234)()).toEqual({ checkedAt: 'now', dryRun: true });
    expect(called).toEqual([[{ job: 'inactivity', dryRun: true }, 1234]]);
  });

  it('an inactivity check now is handed to the function as the operator’s, and accepted; with the check off, nothing is handed over', async () => {
    const { inv, started } = invoker();
    expect(await invokedInactivityRun(inv, true)('ops@example.com')).toEqual({ accepted: true });
    expect(started).toEqual([{ job: 'inactivity', dryRun: false, requestedBy: 'ops@example.com' }]);
    expect(await invokedInactivityRun(inv, false)('ops@example.com')).toEqual({ off: true });
    expect(started).toHaveLength(1);
  });
});

describe('LambdaDirectoryRead', () => {
  const lambda = (out: Record<string, unknown>) => {
    const sent: InvokeCommand[] = [];
    return { sent, client: { send: jest.fn(async (cmd: InvokeCommand) => (sent.push(cmd), out)) } };
  };

  it('starts a consolidation as an asynchronous invoke of the named function', async () => {
    const { sent, client } = lambda({ StatusCode: 202 });
    await new LambdaDirectoryRead(client as never, 'lifecycle-dev-directory-read').start({ job: 'consolidation', requestedBy: 'ops' });
    expect(sent[0].input).toMatchObject({ FunctionName: 'lifecycle-dev-directory-read', InvocationType: 'Event' });
    expect(JSON.parse(Buffer.from(sent[0].input.Payload as Uint8Array).toString('utf8'))).toEqual({ job: 'consolidation', requestedBy: 'ops' });
  });

  it('fails when Lambda does not accept the event', async () => {
    const { client } = lambda({ StatusCode: 500 });
    await expect(new LambdaDirectoryRead(client as never, 'f').start({ job: 'consolidation', requestedBy: 'ops' })).rejects.toThrow(/did not accept the consolidation/);
  });

  it('a call answers the payload, and a function error fails it', async () => {
    const ok = lambda({ StatusCode: 200, Payload: Buffer.from(JSON.stringify({ dryRun: true })) });
    expect(await new LambdaDirectoryRead(ok.client as never, 'f').call({ job: 'inactivity', dryRun: true }, 1000)).toEqual({ dryRun: true });
    expect(ok.sent[0].input.InvocationType).toBe('RequestResponse');
    const failed = lambda({ StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from('{}') });
    await expect(new LambdaDirectoryRead(failed.client as never, 'f').call({ job: 'inactivity', dryRun: true }, 1000)).rejects.toThrow(/failed the inactivity \(Unhandled\)/);
  });
});
