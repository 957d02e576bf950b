/**
 * A leaver on a live call at the cut-off, end to end: their Connect agent goes offline at once (no new contact reaches
 * them), the agent's removal waits without failing or alerting until the call has closed, then removes the agent.
 */
import { playbooks } from '../../config/playbooks';
import type { Playbooks } from '../../config/schema';
import type { Run } from '../../lambdas/engine/model';
import { SAMPLE_CONNECT } from '../../local/emulators/connect/connect-sample';
import { LOCAL_CONNECT_INSTANCE_ID as I } from '../../local/emulators/provider-emulators';
import type { Runtime } from '../../local/runtime';
import { hrBody } from '../support/builders';
import { eventually, postEvent, start } from '../support/harness';

const ADA = SAMPLE_CONNECT.users.adaLovelace;

/** The default playbooks with the agent's removal looking at the live contacts every second. */
const fastLook: Playbooks = {
  ...playbooks,
  terminate: { ...playbooks.terminate, steps: playbooks.terminate.steps.map((s) => (s.action === 'connect.removeAgent' ? { ...s, params: { ...s.params, pollSeconds: 1 } } : s)) },
};

describe('a leaver on a live call', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await start({ playbooks: fastLook });
  });
  afterAll(async () => {
    await rt.stop();
  });

  const runOf = async (runId: string): Promise<Run> => (await rt.engine.store.getRun('E100', runId))!;
  const step = (run: Run, id: string) => run.steps.find((s) => s.stepId === id)!;

  it('is taken offline at once, and the agent is removed only once the call has closed, with no alert', async () => {
    rt.emulators.connect.logIn(I, ADA);
    const call = rt.emulators.connect.routeContact(I, ADA);
    const res = await postEvent(rt, hrBody({ eventId: 'live-call-1', urgent: true, effectiveDate: new Date().toISOString().slice(0, 10) }));
    expect(res.status).toBe(202);

    // Offline at once: the call runs on, Connect routes nothing new to her.
    const offline = await eventually(async () => {
      const run = await runOf(res.body.runId);
      return step(run, 'connect-agent-offline').status === 'succeeded' && run;
    }, 30_000, 'the agent offline');
    expect(step(offline, 'connect-agent-offline').result).toMatchObject({ offline: { nextStatus: true, liveContacts: 1 }, previous: { statusName: 'Available' } });
    expect(rt.emulators.connect.canRoute(I, ADA)).toBe(false);

    // The removal waits: "not yet", looked at again, the agent still there, no operator alert.
    await eventually(async () => {
      const audit = await rt.engine.store.listAudit('E100');
      return audit.filter((a) => a.stepId === 'remove-connect-agent' && a.change.startsWith('not done yet')).length >= 2;
    }, 30_000, 'the removal to look twice');
    expect(rt.emulators.connect.user(I, ADA)).toBeDefined();
    expect(step(await runOf(res.body.runId), 'remove-connect-agent').status).not.toBe('needs_attention');
    expect((await rt.engine.store.listAlerts('open')).filter((a) => a.runId === res.body.runId)).toEqual([]);

    // The customer hangs up: the next look removes the agent.
    rt.emulators.connect.endContact(I, call);
    const removed = await eventually(async () => {
      const run = await runOf(res.body.runId);
      return step(run, 'remove-connect-agent').status === 'succeeded' && run;
    }, 30_000, 'the removal');
    expect(step(removed, 'remove-connect-agent').result).toMatchObject({ removed: { agent: { username: 'ada.lovelace' } } });
    expect(step(removed, 'remove-connect-agent').result).not.toHaveProperty('liveContactsDropped');
    expect(rt.emulators.connect.user(I, ADA)).toBeUndefined();
    expect((await rt.engine.store.listAlerts('open')).filter((a) => a.runId === res.body.runId)).toEqual([]);
  }, 60_000);
});
