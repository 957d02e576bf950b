/** What a restart of the local runtime found and caught up on, and the one line `npm start` prints about it. */

export interface RecoveryReport {
  /** Runs the store holds as in progress when the runtime started again. */
  runsInProgress: number;
  /** Step messages the queue kept on disk (waiting, delayed, or being worked on when the process stopped): each is delivered again. */
  stepsRequeued: number;
  /** Steps that fell due while the runtime was down, queued by the sweep at start. */
  dueStepsCaughtUp: number;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function recoveryLine(r: RecoveryReport): string {
  return `recovered: ${count(r.runsInProgress, 'run', 'runs')} in progress, ${count(r.stepsRequeued, 'step', 'steps')} re-queued, ${count(r.dueStepsCaughtUp, 'due step', 'due steps')} caught up`;
}
