/**
 * EventBridge Scheduler's one-off schedules for the local runtime: each wake fires once at its
 * time by the runtime's clock and is then deleted; a wake whose time passed while the runtime was
 * stopped fires at start. Kept in a JSON file so a restart loses none.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, EngineLog, StepWakes, Wake } from '../lambdas/engine/ports';
import { errorFields } from '../lambdas/shared/log-fields';

export interface LocalSchedulerOptions {
  /** File that keeps the wakes across restarts; in memory only when absent. */
  file?: string;
  clock: Clock;
  /** What a wake does when it fires (the sweep handler with the wake as its input). */
  fire(wake: Wake): Promise<unknown>;
  log?: EngineLog;
  /** How often the clock is looked at, in milliseconds (default 1000). */
  tickMs?: number;
}

export class LocalScheduler implements StepWakes {
  private wakes = new Map<string, Wake>();
  /** Wakes being fired now: a tick that overlaps a slow firing does not fire them twice. */
  private readonly firing = new Set<string>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<unknown>;

  constructor(private readonly options: LocalSchedulerOptions) {
    if (options.file && existsSync(options.file)) {
      const saved = JSON.parse(readFileSync(options.file, 'utf8')) as Wake[];
      this.wakes = new Map(saved.map((w) => [w.name, w]));
    }
  }

  async schedule(wake: Wake): Promise<'scheduled' | 'exists'> {
    if (this.wakes.has(wake.name)) return 'exists';
    this.wakes.set(wake.name, { ...wake });
    this.save();
    return 'scheduled';
  }

  async cancel(name: string): Promise<void> {
    if (this.wakes.delete(name)) this.save();
  }

  /** The wakes not yet fired, soonest first. */
  list(): Wake[] {
    return [...this.wakes.values()].sort((a, b) => a.at.localeCompare(b.at)).map((w) => ({ ...w }));
  }

  /** Fires every wake whose time has come, each once, and deletes it; returns the names fired. */
  async fireDue(): Promise<string[]> {
    const now = this.options.clock.now().getTime();
    const due = this.list().filter((w) => Date.parse(w.at) <= now && !this.firing.has(w.name));
    const fired: string[] = [];
    for (const wake of due) {
      this.firing.add(wake.name);
      try {
        await this.options.fire(wake);
      } catch (err) {
        // As on AWS once retries run out: the wake is gone, and the sweep queues its step.
        this.options.log?.error('a wake failed to fire; the sweep will queue its step', { runId: wake.runId, wake: wake.name, ...errorFields(err) });
      } finally {
        this.firing.delete(wake.name);
      }
      // Deleted after firing: a crash in between fires it again at start, which releases nothing twice.
      this.wakes.delete(wake.name);
      this.save();
      fired.push(wake.name);
    }
    return fired;
  }

  /** Fires what fell due while stopped, then watches the clock. */
  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.ticking ??= this.fireDue()
        .catch((err: unknown) => this.options.log?.error('local scheduler tick failed', errorFields(err)))
        .finally(() => (this.ticking = undefined));
    }, this.options.tickMs ?? 1000);
    await this.fireDue();
  }

  /** Stops watching the clock, after the wakes being fired now have finished. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  private save(): void {
    const file = this.options.file;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(this.list(), null, 2));
    renameSync(`${file}.tmp`, file);
  }
}
