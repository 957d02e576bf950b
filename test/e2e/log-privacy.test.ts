/**
 * A failing step logs ids and codes, never the provider's words: an address in Google's error message reaches the
 * audit trail and the operator alert, and no log line.
 */
import { restoreLogLevel } from '../support/verbose-logs';
import { parsePlaybooks } from '../../config/playbooks';
import type { Alert } from '../../lambdas/engine/model';
import type { Runtime } from '../../local/runtime';
import { daysFromToday, hrBody } from '../support/builders';
import { operator, postEvent, runReaches, start } from '../support/harness';

const ADDRESS = 'ada.lovelace@example.com';

const SIGN_OUT_ONLY = parsePlaybooks({
  hire: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
  role_change: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [{ id: 'sign-out', action: 'google.signOut', cutoff: true }] },
});

describe('the logs of a failing step', () => {
  let rt: Runtime;
  const alerts: Alert[] = [];
  // Every line the logger writes while the runtime runs, read instead of printed.
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  let spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
    rt = await start({ playbooks: SIGN_OUT_ONLY, onAlert: (a) => alerts.push(a) });
  });
  afterAll(async () => {
    await rt.stop();
    for (const spy of spies) spy.mockRestore();
    restoreLogLevel();
  });

  it('carry the run, step, employee, action and status, and no address; the audit trail keeps the message', async () => {
    rt.emulators.google.faults.failNext({ method: 'POST', path: 'signOut$', count: 1, status: 403, reason: 'forbidden', message: `Not Authorized to access ${ADDRESS}` });
    const res = await postEvent(rt, hrBody({ eventId: 'log-privacy-1', urgent: true, effectiveDate: daysFromToday(0) }));
    expect(res.status).toBe(202);
    const runId = res.body.runId as string;
    await runReaches(rt, 'E100', runId, 'needs_attention');

    const logged = lines.join('');
    const failed = lines.map((l) => l.trim()).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'step failed');
    expect(failed).toMatchObject({ runId, stepId: 'sign-out', employeeId: 'E100', action: 'google.signOut', status: 403, retryable: false });
    expect(logged).not.toContain(ADDRESS);
    expect(logged).not.toMatch(/[\w.-]+@[\w-]+\.[\w.]+/);
    expect(logged).not.toContain('Not Authorized');

    // The operator still learns what Google said, in the alert and in the audit trail.
    expect(alerts.find((a) => a.runId === runId)?.providerAnswer).toContain(`Not Authorized to access ${ADDRESS}`);
    const view = await operator(rt, 'GET', '/v1/employees/E100');
    const trail = JSON.stringify(view.body.audit);
    expect(trail).toContain(`Not Authorized to access ${ADDRESS}`);
  });

  it('an attestation carries what the steps recorded to its reader; its log line holds the employee id and counts only', async () => {
    const before = lines.length;
    const res = await fetch(`${rt.apiUrl}/v1/employees/E100/attestation`, { headers: { Authorization: 'Bearer local-viewer-token' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(ADDRESS);
    const logged = lines.slice(before).join('');
    const signed = lines.slice(before).map((l) => l.trim()).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.message === 'attestation signed');
    expect(signed).toMatchObject({ employeeId: 'E100', entries: 1, complete: false });
    expect(logged).not.toMatch(/[\w.-]+@[\w-]+\.[\w.]+/);
  });
});
