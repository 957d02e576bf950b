/** Read-modify-write of a run under its version, on the in-memory store: written once, then messages, then audit. */
import type { Run } from '../../../lambdas/engine/model';
import { dispatchStep } from '../../../lambdas/engine/dispatch';
import { runsBeingWritten, updateRun } from '../../../lambdas/engine/run-updates';
import { releaseRun } from '../../../lambdas/engine/sweep';
import { parsePlaybooks } from '../../../config/playbooks';
import { MemoryStore } from '../../support/memory-store';
import { memoryEngine } from '../../support/memory-engine';
import { accept, laterLeaver } from './engine-fixtures';

const noted = (run: Run, note: string): Run => ({ ...run, steps: run.steps.map((s) => ({ ...s, note: [s.note, note].filter(Boolean).join(', ') })) });

describe('updateRun', () => {
  it('writes the change over the version read, then sends its messages, then stamps its audit with the clock', async () => {
    const engine = memoryEngine();
    const run = await accept(engine, laterLeaver());
    engine.clock.advanceSeconds(60);
    const out = await updateRun(engine.deps, 'E100', run.runId, (current) => ({
      run: noted(current, 'checked'),
      enqueue: ['forward-event'],
      enqueueDelaySeconds: 30,
      audit: [{ stepId: 'forward-event', actor: 'test', change: 'noted' }],
      value: 'done',
    }));
    expect(out).toMatchObject({ value: 'done', changed: true, run: { version: run.version + 1 } });
    expect(await engine.store.getRun('E100', run.runId)).toEqual(out.run);
    expect(engine.queue.sent).toEqual([{ message: { runId: run.runId, employeeId: 'E100', stepId: 'forward-event', priority: 'housekeeping' }, delaySeconds: 30 }]);
    expect((await engine.store.listAudit('E100')).at(-1)).toEqual({ at: '2026-11-30T08:01:00.000Z', employeeId: 'E100', runId: run.runId, stepId: 'forward-event', actor: 'test', change: 'noted' });
  });

  it('writes nothing and sends nothing when the change hands back the same run', async () => {
    const engine = memoryEngine();
    const run = await accept(engine, laterLeaver());
    const auditBefore = await engine.store.listAudit('E100');
    const out = await updateRun(engine.deps, 'E100', run.runId, (current) => ({ run: current, enqueue: ['forward-event'], value: 1 }));
    expect(out).toEqual({ run, value: 1, changed: false });
    expect((await engine.store.getRun('E100', run.runId))?.version).toBe(run.version);
    expect(engine.queue.sent).toEqual([]);
    expect(await engine.store.listAudit('E100')).toEqual(auditBefore);
  });

  it('re-reads and re-applies a change that lost the race for the run, keeping both writers\' changes', async () => {
    // A store where another writer changes the run just before this one's first write lands.
    class RacedStore extends MemoryStore {
      raced = false;
      override async saveRun(run: Run) {
        if (!this.raced) {
          this.raced = true;
          const current = (await this.getRun(run.employeeId, run.runId))!;
          await super.saveRun({ ...noted(current, 'other writer'), version: current.version + 1 });
        }
        return super.saveRun(run);
      }
    }
    const store = new RacedStore();
    const engine = memoryEngine({ deps: { store } });
    const run = await accept(engine, laterLeaver());
    store.raced = false;
    let applied = 0;
    const out = await updateRun(engine.deps, 'E100', run.runId, (current) => {
      applied += 1;
      return { run: noted(current, 'this writer'), value: null };
    });
    expect(applied).toBe(2);
    expect(out.run.version).toBe(run.version + 2);
    expect((await store.getRun('E100', run.runId))?.steps[0].note).toBe('other writer, this writer');
  });

  it('makes changes to one run in this process wait for each other: none loses a race, every change lands', async () => {
    class CountingStore extends MemoryStore {
      conflicts = 0;
      saves = 0;
      override async saveRun(run: Run) {
        this.saves += 1;
        // A slow write: the racers all read before the first one lands, unless they wait for each other.
        await new Promise((resolve) => setTimeout(resolve, 5));
        return super.saveRun(run).catch((err: unknown) => {
          this.conflicts += 1;
          throw err;
        });
      }
    }
    const store = new CountingStore();
    const engine = memoryEngine({ deps: { store } });
    const run = await accept(engine, laterLeaver());
    store.saves = 0;
    const notes = ['a', 'b', 'c', 'd', 'e', 'f'];
    await Promise.all(notes.map((n) => updateRun(engine.deps, 'E100', run.runId, (current) => ({ run: noted(current, n), value: null }))));
    expect(store.conflicts).toBe(0);
    expect(store.saves).toBe(notes.length);
    expect((await store.getRun('E100', run.runId))?.steps[0].note?.split(', ').sort()).toEqual(notes);
    // Nothing is kept for a run once its changes have settled.
    await new Promise((resolve) => setImmediate(resolve));
    expect(runsBeingWritten()).toBe(0);
  });

  it('goes on with the next change to a run after one that threw', async () => {
    const engine = memoryEngine();
    const run = await accept(engine, laterLeaver());
    const failing = updateRun(engine.deps, 'E100', run.runId, () => {
      throw new Error('bad change');
    });
    const next = updateRun(engine.deps, 'E100', run.runId, (current) => ({ run: noted(current, 'after'), value: null }));
    await expect(failing).rejects.toThrow('bad change');
    expect((await next).run.steps[0].note).toBe('after');
  });

  it('tries a stale copy in hand first, and loses nothing when it is stale', async () => {
    const engine = memoryEngine();
    const run = await accept(engine, laterLeaver());
    await updateRun(engine.deps, 'E100', run.runId, (current) => ({ run: noted(current, 'first'), value: null }));
    const out = await updateRun(engine.deps, 'E100', run.runId, (current) => ({ run: noted(current, 'second'), value: null }), run);
    expect(out.run.steps[0].note).toBe('first, second');
  });

  it('names the run it cannot find', async () => {
    const engine = memoryEngine();
    await expect(updateRun(engine.deps, 'E404', 'run-404', (run) => ({ run, value: null }))).rejects.toThrow('run run-404 of employee E404 not found');
  });

  it('gives a step stored before steps carried a class its action\'s class, in the queue and in the action request', async () => {
    const playbooks = parsePlaybooks({
      hire: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
      role_change: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
      terminate: {
        steps: [
          { id: 'forward-event', action: 'forward.event', cutoff: true },
          { id: 'set-auto-reply', action: 'google.setAutoReply', cutoff: true },
          { id: 'sign-out', action: 'google.signOut', cutoff: true },
        ],
      },
    });
    const engine = memoryEngine({ deps: { playbooks } });
    const planned = await accept(engine, laterLeaver());
    // The run as a deploy before step classes left it: no step names one.
    const stored = { ...planned, version: planned.version + 1, steps: planned.steps.map(({ priority: _p, ...step }) => step) };
    await engine.store.saveRun(stored);
    engine.clock.set('2026-12-15T23:00:00.000Z');
    expect(await releaseRun(engine.deps, 'E100', planned.runId, 'test')).toBe(3);
    const sent = engine.queue.sent.map((m) => [m.message.stepId, m.message.priority]);
    expect(sent).toEqual([
      ['sign-out', 'lockout'],
      ['set-auto-reply', 'protect'],
      ['forward-event', 'housekeeping'],
    ]);
    await dispatchStep(engine.deps, engine.queue.sent[0].message, 1);
    expect(engine.invoker.calls.map((r) => [r.action, r.priority])).toEqual([['google.signOut', 'lockout']]);
  });
});
