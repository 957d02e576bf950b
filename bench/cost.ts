/**
 * Benchmark: what one joiner, one mover and one leaver cost on AWS. Each lifecycle runs whole on the local runtime
 * (signed HR event, every step on its day against the emulators, the welcome link opened); the meter counts what
 * each would have asked of AWS, priced at the list prices in cost-prices.ts, beside the same runs as Step
 * Functions Standard state transitions.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../lambdas/engine/ports';
import { isInFlight, type Run } from '../lambdas/engine/model';
import { playbooks as defaultPlaybooks } from '../config/playbooks';
import type { Playbooks } from '../config/schema';
import { HR_PURPOSE, signedHeaders } from '../lambdas/http/signature';
import { createDocumentClient, DynamoStore } from '../lambdas/store/dynamo-store';
import { LOCAL_DEFAULTS } from '../config/local-defaults';
import { LOCAL_AWS } from '../local/embedded-store';
import { startRuntime, type Runtime } from '../local/runtime';
import { CostMeter, UNATTRIBUTED, type Measure } from './cost-meter';
import { addUsage, emptyUsage, gbSeconds, priceUsage, stepFunctionsTransitions, type Usage } from './cost-model';
import { PRICE_REGION, PRICES, PRICES_CHECKED, priceOf } from './cost-prices';
import { count, seconds, type BenchReport, type Benchmark, type Check, type ResultTable } from './report';

/** Every function's memory: LifecycleFunction's default (lib/constructs/lifecycle-function.ts); none overrides it. */
export const LAMBDA_MEMORY_MB = 512;
/** Subscribers of the alert topic an alert is mailed to (one operator list). */
const ALERT_SUBSCRIBERS = 1;

const SECRET = 'bench-cost-secret';
const EMPLOYEE = {
  id: 'E-COST',
  firstName: 'Jöhn',
  lastName: 'Müller',
  personalEmail: 'john@home.example',
  managerEmail: 'grace.hopper@example.com',
  role: 'support-agent',
  timezone: 'Europe/Berlin',
};

/**
 * The default playbooks, with the actions that look again later (the transfer, the joiner summary) looking every
 * second rather than every 30 or 60: the benchmark waits in real time for them. Each look is counted as it happens.
 */
const POLLING = ['google.transferData', 'google.handOverMeetings', 'google.sendJoinerSummary'];
const benchPlaybooks = Object.fromEntries(
  Object.entries(defaultPlaybooks).map(([type, playbook]) => [
    type,
    { ...playbook, steps: playbook.steps.map((s) => (POLLING.includes(s.action) ? { ...s, params: { ...s.params, pollSeconds: 1 } } : s)) },
  ]),
) as Playbooks;

/** Real time that the benchmark jumps forward to the next due step: providers see time pass as usual in between. */
class JumpClock implements Clock {
  private offset: number;
  constructor(start: string) {
    this.offset = Date.parse(start) - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  jumpTo(at: string | number): void {
    const target = typeof at === 'number' ? at : Date.parse(at);
    if (target > this.now().getTime()) this.offset = target - Date.now();
  }
}

export interface LifecycleRun {
  name: 'joiner' | 'mover' | 'leaver';
  run: Run;
  measure: Measure;
  ms: number;
}

interface Scene {
  rt: Runtime;
  meter: CostMeter;
  clock: JumpClock;
  /** The bench's own view of the table (not counted). */
  observe: DynamoStore;
}

async function post(rt: Runtime, body: unknown): Promise<{ runId: string }> {
  const raw = JSON.stringify(body);
  const res = await fetch(`${rt.apiUrl}/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signedHeaders(SECRET, HR_PURPOSE, raw) }, body: raw });
  const answer = (await res.json()) as { runId?: string; status?: string };
  if (res.status !== 202 || !answer.runId) throw new Error(`HR event ${raw}: ${res.status} ${JSON.stringify(answer)}`);
  if (answer.status === 'awaiting_approval' || answer.status === 'quarantined') throw new Error(`run ${answer.runId} is held (${answer.status}): the benchmark prices unheld runs`);
  return { runId: answer.runId };
}

/** Waits until no handler runs and no message waits, is in flight or is delayed on either queue. */
async function settle(s: Scene, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  const quiet = () => {
    const a = s.rt.steps.stats();
    const b = s.rt.deadLetters.stats();
    return !s.meter.busy() && a.visible + a.inFlight + a.delayed + b.visible + b.inFlight + b.delayed === 0;
  };
  for (;;) {
    if (quiet()) {
      // Once more after a tick: a worker may be between its receive and its handler.
      await new Promise((r) => setTimeout(r, 20));
      if (quiet()) return;
    }
    if (Date.now() > deadline) throw new Error(`${what}: the queues did not settle within 120 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Runs every step of a run to its end: when nothing is in flight, jumps the clock to the next step due and lets
 * what would wake it on AWS do so (its Scheduler wake, else the sweep rule), until no step is open.
 */
async function drive(s: Scene, runId: string, what: string): Promise<Run> {
  for (let round = 0; round < 50; round += 1) {
    await settle(s, what);
    const run = await s.observe.getRun(EMPLOYEE.id, runId);
    if (!run) throw new Error(`${what}: run ${runId} is missing`);
    const open = run.steps.filter((step) => isInFlight(step.status));
    if (open.length === 0 || run.steps.some((step) => step.status === 'needs_attention')) return run;
    const next = Math.min(...open.map((step) => Date.parse(step.dueAt)));
    s.clock.jumpTo(next);
    const wakeDue = s.rt.wakes.list().some((w) => Date.parse(w.at) <= s.clock.now().getTime());
    if (wakeDue) await s.rt.wakes.fireDue();
    else await s.rt.sweepNow();
  }
  throw new Error(`${what}: run ${runId} still has open steps after 50 rounds`);
}

/** The joiner opens the welcome link and reveals the initial password, as the mail tells them to. */
async function openWelcomeLink(rt: Runtime): Promise<void> {
  const res = await fetch(`${rt.emulatorUrl}/_emulator/google/mail?to=${encodeURIComponent(EMPLOYEE.personalEmail)}`);
  const { messages } = (await res.json()) as { messages: { text: string }[] };
  const link = messages.map((m) => /https?:\/\/\S+\/v1\/welcome\/[A-Za-z0-9_-]+/.exec(m.text)?.[0]).find(Boolean);
  if (!link) throw new Error('the welcome mail holds no link');
  for (const method of ['GET', 'POST']) {
    const answer = await fetch(link, { method });
    if (answer.status !== 200) throw new Error(`${method} of the welcome link: ${answer.status}`);
  }
}

async function lifecycle(s: Scene, name: LifecycleRun['name'], at: string, event: Record<string, unknown>, after?: () => Promise<void>): Promise<LifecycleRun> {
  s.clock.jumpTo(at);
  await settle(s, name);
  s.meter.take();
  const started = performance.now();
  const { runId } = await post(s.rt, event);
  const run = await drive(s, runId, name);
  await after?.();
  await settle(s, name);
  return { name, run, measure: s.meter.take(), ms: performance.now() - started };
}

export interface CostFigures {
  lifecycles: LifecycleRun[];
  /** Median duration of a sweep with nothing due: what the periodic rule costs whether or not anything happens. */
  idleSweepMs: number;
  totalMs: number;
}

export async function measureCost(progress: (line: string) => void): Promise<CostFigures> {
  const started = performance.now();
  const meter = new CostMeter();
  const clock = new JumpClock('2099-01-10T10:00:00Z');
  const rt = await startRuntime({
    port: 0,
    emulatorPort: 0,
    dataDir: null,
    hmacSecret: SECRET,
    sweepIntervalSeconds: 3600,
    clock,
    providerClock: clock,
    playbooks: benchPlaybooks,
    instrument: meter.instrument(),
  });
  try {
    meter.readImagesFrom(rt.storeEndpoint, LOCAL_DEFAULTS.tableName);
    meter.wrapEngine(rt.engine);
    const observe = new DynamoStore(createDocumentClient({ ...LOCAL_AWS, endpoint: rt.storeEndpoint }), LOCAL_DEFAULTS.tableName);
    const s: Scene = { rt, meter, clock, observe };
    // The sample tenant's two seats of the mover's license are taken.
    rt.emulators.google.setSkuSeats('Google-Apps', '1010020028', 3);

    await settle(s, 'start');
    meter.take();
    const idle: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      await rt.sweepNow();
      idle.push(performance.now() - t);
    }
    idle.sort((a, b) => a - b);

    progress('joiner…');
    const joiner = await lifecycle(s, 'joiner', '2099-01-10T10:00:00Z', { eventId: 'cost-hire', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE }, () => openWelcomeLink(rt));
    progress(`joiner: ${seconds(joiner.ms)}; mover…`);
    const { personalEmail: _kept, ...moving } = EMPLOYEE;
    const mover = await lifecycle(s, 'mover', '2099-01-25T10:00:00Z', { eventId: 'cost-move', type: 'role_change', effectiveDate: '2099-02-01', employee: { ...moving, role: 'engineer' } });
    progress(`mover: ${seconds(mover.ms)}; leaver…`);
    // HR names the company address the joiner's run derived.
    const leaving = { ...moving, role: 'engineer', email: joiner.run.employee.email };
    const leaver = await lifecycle(s, 'leaver', '2099-03-01T10:00:00Z', { eventId: 'cost-leave', type: 'terminate', effectiveDate: '2099-03-02', employee: leaving });
    progress(`leaver: ${seconds(leaver.ms)}`);
    return { lifecycles: [joiner, mover, leaver], idleSweepMs: idle[2], totalMs: performance.now() - started };
  } finally {
    await rt.stop();
  }
}

/** The invocations a lifecycle paid for, by function; the periodic sweep only for its work beyond an idle sweep. */
interface FunctionLine {
  fn: string;
  requests: number;
  ms: number;
  gbSeconds: number;
}

function functionLines(m: Measure, idleSweepMs: number): FunctionLine[] {
  const byFn = new Map<string, FunctionLine>();
  const add = (fn: string, requests: number, ms: number) => {
    const line = byFn.get(fn) ?? { fn, requests: 0, ms: 0, gbSeconds: 0 };
    line.requests += requests;
    line.ms += ms;
    line.gbSeconds += ms > 0 ? gbSeconds(ms, LAMBDA_MEMORY_MB) : 0;
    byFn.set(fn, line);
  };
  for (const inv of m.invocations) {
    if (inv.fn === 'sweep' && !inv.wake) add('sweep (rule, beyond idle)', 0, Math.max(0, inv.ms - idleSweepMs));
    else add(inv.fn === 'sweep' ? 'sweep (Scheduler wake)' : inv.fn, 1, inv.ms);
  }
  for (const a of m.actions) add(`action ${a.action}`, 1, a.ms);
  return [...byFn.values()];
}

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
const sqsTotal = (m: Measure, fns?: (fn: string) => boolean) =>
  sum([...m.sqs.entries()].filter(([fn]) => !fns || fns(fn)), ([, ops]) => sum(Object.values(ops), (n) => n));
const dynamoOf = (m: Measure, fns?: (fn: string) => boolean) => {
  const lines = [...m.dynamo.entries()].filter(([fn]) => !fns || fns(fn)).map(([, u]) => u);
  return { read: sum(lines, (u) => u.readUnits), write: sum(lines, (u) => u.tableWriteUnits + u.indexWriteUnits) };
};

export function usageOf(l: LifecycleRun, idleSweepMs: number, fns?: (fn: string) => boolean): Usage {
  const lines = functionLines(l.measure, idleSweepMs).filter((f) => !fns || fns(f.fn));
  const dynamo = dynamoOf(l.measure, fns);
  const wakes = l.measure.invocations.filter((i) => i.wake).length;
  return {
    ...emptyUsage(),
    apiRequests: !fns || fns('api') ? l.measure.invocations.filter((i) => i.fn === 'api').length : 0,
    lambdaRequests: sum(lines, (f) => f.requests),
    lambdaGbSeconds: sum(lines, (f) => f.gbSeconds),
    dynamoReadUnits: dynamo.read,
    dynamoWriteUnits: dynamo.write,
    sqsRequests: sqsTotal(l.measure, fns),
    snsPublishes: !fns ? l.measure.snsPublishes : 0,
    snsEmails: !fns ? l.measure.snsPublishes * ALERT_SUBSCRIBERS : 0,
    schedulerInvocations: !fns || fns('sweep') ? wakes : 0,
  };
}

/** What a state machine would replace: the dispatcher, the sweep and the wakes, with the queue and their table requests. */
const ORCHESTRATION = (fn: string) => fn === 'dispatcher' || fn === 'dead-letter' || fn.startsWith('sweep');

/** Action invocations per step of the run, for the state machine's transitions. */
export function invocationsPerStep(l: LifecycleRun): number[] {
  return l.run.steps.map((step) => l.measure.actions.filter((a) => a.runId === l.run.runId && a.stepId === step.stepId).length).filter((n) => n > 0);
}

const usd = (x: number) => `$${x.toFixed(6)}`;

const per1000 = (x: number) => `$${(x * 1000).toFixed(4)}`;
const qty = (x: number) => (Number.isInteger(x) ? count(x) : x.toFixed(x < 10 ? 3 : 1));

/** The run-item writes a state machine would still make: one per action invocation, at the dispatcher's measured size of a run write. */
function stateMachineTableWrites(l: LifecycleRun): number {
  const d = l.measure.dynamo.get('dispatcher');
  const puts = d?.requests.PutItem ?? 0;
  const perRunWrite = puts > 0 ? (d?.writeUnitsByOp.PutItem ?? 0) / puts : 0;
  return l.measure.actions.length * perRunWrite;
}

/** This design's orchestration beside a Step Functions Standard machine's, per lifecycle. */
export function comparisonTable(f: CostFigures): { table: ResultTable; ours: number[]; stateMachine: number[] } {
  const part = (l: LifecycleRun, pick: (u: Usage) => Partial<Usage>) => priceUsage({ ...emptyUsage(), ...pick(usageOf(l, f.idleSweepMs, ORCHESTRATION)) }).total;
  const lambdas = f.lifecycles.map((l) => part(l, (u) => ({ lambdaRequests: u.lambdaRequests, lambdaGbSeconds: u.lambdaGbSeconds, schedulerInvocations: u.schedulerInvocations })));
  const queue = f.lifecycles.map((l) => part(l, (u) => ({ sqsRequests: u.sqsRequests })));
  const table = f.lifecycles.map((l) => part(l, (u) => ({ dynamoReadUnits: u.dynamoReadUnits, dynamoWriteUnits: u.dynamoWriteUnits })));
  const ours = f.lifecycles.map((_, i) => lambdas[i] + queue[i] + table[i]);
  const transitions = f.lifecycles.map((l) => stepFunctionsTransitions(invocationsPerStep(l)));
  const sfnTransitions = transitions.map((t) => priceOf('stepFunctionsTransition', t));
  const sfnTable = f.lifecycles.map((l) => priceOf('dynamoWriteUnit', stateMachineTableWrites(l)));
  const stateMachine = f.lifecycles.map((_, i) => sfnTransitions[i] + sfnTable[i]);
  const whole = f.lifecycles.map((l) => priceUsage(usageOf(l, f.idleSweepMs)).total);
  return {
    ours,
    stateMachine,
    table: {
      columns: ['orchestration per lifecycle', ...f.lifecycles.map((l) => l.name)],
      rows: [
        ['steps / action invocations', ...f.lifecycles.map((l) => `${invocationsPerStep(l).length} / ${l.measure.actions.length}`)],
        ['this design: dispatcher, sweep and wake Lambdas, Scheduler', ...lambdas.map(usd)],
        ['this design: SQS', ...queue.map(usd)],
        ['this design: table requests of dispatcher and sweep', ...table.map(usd)],
        ['**this design: orchestration**', ...ours.map(usd)],
        ['Step Functions Standard: state transitions', ...transitions.map(count)],
        ['Step Functions Standard: transitions', ...sfnTransitions.map(usd)],
        ['Step Functions Standard: one run-item write per invocation (at least)', ...sfnTable.map(usd)],
        ['**Step Functions Standard: orchestration**', ...stateMachine.map(usd)],
        ['whole lifecycle, this design', ...whole.map(usd)],
        ['whole lifecycle, a state machine instead', ...whole.map((w, i) => usd(w - ours[i] + stateMachine[i]))],
      ],
    },
  };
}

export function costChecks(f: CostFigures): Check[] {
  return [
    ...f.lifecycles.map((l) => ({
      what: `${l.name}: every step of the run succeeded`,
      ok: l.run.steps.every((s) => s.status === 'succeeded'),
      seen: l.run.steps.filter((s) => s.status !== 'succeeded').map((s) => `${s.stepId} ${s.status}`).join(', ') || `${l.run.steps.length} steps succeeded`,
    })),
    ...f.lifecycles.map((l) => ({
      what: `${l.name}: every DynamoDB request was made inside a function, so each is priced`,
      ok: !l.measure.dynamo.has(UNATTRIBUTED) && !l.measure.sqs.has(UNATTRIBUTED),
      seen: `${count(sum(Object.values(l.measure.dynamo.get(UNATTRIBUTED)?.requests ?? {}), (n) => n))} unattributed`,
    })),
    ...(() => {
      const { ours, stateMachine } = comparisonTable(f);
      return f.lifecycles.map((l, i) => ({
        what: `${l.name}: this design's orchestration costs less than a Step Functions Standard machine's`,
        ok: ours[i] < stateMachine[i],
        seen: `${usd(ours[i])} against ${usd(stateMachine[i])}`,
      }));
    })(),
    ...f.lifecycles.map((l) => ({
      what: `${l.name}: every step's action was invoked by the dispatcher and counted`,
      ok: invocationsPerStep(l).length === l.run.steps.length,
      seen: `${invocationsPerStep(l).length} of ${l.run.steps.length} steps with a counted invocation`,
    })),
  ];
}

export function costReport(f: CostFigures): BenchReport {
  const [names, usages] = [f.lifecycles.map((l) => l.name), f.lifecycles.map((l) => usageOf(l, f.idleSweepMs))];
  const priced = usages.map(priceUsage);
  const service: [keyof Usage, string][] = [
    ['apiRequests', 'API Gateway REST requests'],
    ['lambdaRequests', 'Lambda requests'],
    ['lambdaGbSeconds', `Lambda GB-s (arm64, ${LAMBDA_MEMORY_MB} MB)`],
    ['dynamoReadUnits', 'DynamoDB read request units'],
    ['dynamoWriteUnits', 'DynamoDB write request units (table + indexes)'],
    ['sqsRequests', 'SQS requests'],
    ['snsPublishes', 'SNS publishes (alerts)'],
    ['snsEmails', 'SNS e-mail deliveries'],
    ['schedulerInvocations', 'Scheduler invocations'],
  ];
  const usageTable: ResultTable = {
    columns: ['per lifecycle', ...names.flatMap((n) => [n, `${n} $`])],
    rows: [
      ...service.map(([k, label]) => [label, ...usages.flatMap((u, i) => [qty(u[k]), usd(priced[i].lines[k])])]),
      ['total', ...priced.flatMap((p) => ['', usd(p.total)])],
      ['per 1,000 lifecycles', ...priced.flatMap((p) => ['', per1000(p.total)])],
    ],
  };

  const fnNames = [...new Set(f.lifecycles.flatMap((l) => functionLines(l.measure, f.idleSweepMs).map((x) => x.fn)))].sort();
  const lambdaTable: ResultTable = {
    columns: ['function', ...names.flatMap((n) => [`${n} invocations`, `${n} ms`])],
    rows: fnNames.map((fn) => [
      fn,
      ...f.lifecycles.flatMap((l) => {
        const line = functionLines(l.measure, f.idleSweepMs).find((x) => x.fn === fn);
        return line ? [count(line.requests), count(Math.round(line.ms))] : ['—', '—'];
      }),
    ]),
  };

  const dynamoFns = [...new Set(f.lifecycles.flatMap((l) => [...l.measure.dynamo.keys()]))].sort();
  const dynamoTable: ResultTable = {
    columns: ['DynamoDB by function', ...names.flatMap((n) => [`${n} requests`, `${n} RRU`, `${n} WRU table + index`])],
    rows: dynamoFns.map((fn) => [
      fn,
      ...f.lifecycles.flatMap((l) => {
        const u = l.measure.dynamo.get(fn);
        if (!u) return ['—', '—', '—'];
        const requests = Object.entries(u.requests).sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => `${n} ${op}`).join(', ');
        return [requests, qty(u.readUnits), `${u.tableWriteUnits} + ${u.indexWriteUnits}`];
      }),
    ]),
  };

  const comparison = comparisonTable(f);
  const all = usages.reduce(addUsage, emptyUsage());
  const invocations = sum(f.lifecycles, (l) => l.measure.invocations.length + l.measure.actions.length);
  return {
    title: 'Cost: one joiner, one mover and one leaver on AWS',
    facts: [
      ['prices', `list prices, ${PRICE_REGION}, on-demand, without free tiers; compared ${PRICES_CHECKED} with ${[...new Set(Object.values(PRICES).map((p) => p.source))].length} AWS pricing pages (bench/cost-prices.ts)`],
      ['lifecycles', 'one person through the local runtime with the default playbooks and the sample role catalog: hired as support-agent (welcome link opened), moved to engineer, then leaving (not urgent); each step on its day, the clock jumped to it'],
      ['Lambda', `every function ${LAMBDA_MEMORY_MB} MB arm64; durations measured here per invocation (the dispatcher's include the action it waits for, as on AWS), rounded up to the ms; cold starts not included`],
      ['periodic sweep', `runs every 15 minutes whatever happens (idle here: ${f.idleSweepMs.toFixed(1)} ms, 4 due-index Queries); a lifecycle is charged only the sweep time beyond that, and the requests its steps add`],
      ['looking again', 'the transfer and the joiner summary look every second here (30 s and 60 s as deployed); each look is one more dispatcher and action invocation, counted as it happened'],
      ['all three lifecycles', `${count(invocations)} Lambda invocations, ${qty(all.lambdaGbSeconds)} GB-s, ${qty(all.dynamoWriteUnits)} WRU, ${qty(all.dynamoReadUnits)} RRU, ${count(all.sqsRequests)} SQS requests`],
      ['where the money goes', (() => {
        const units = f.lifecycles.flatMap((l) => [...l.measure.dynamo.values()]);
        const index = sum(units, (u) => u.indexWriteUnits);
        const share = priceOf('dynamoWriteUnit', sum(units, (u) => u.tableWriteUnits + u.indexWriteUnits)) / sum(priced, (p) => p.total);
        return `DynamoDB writes are ${(share * 100).toFixed(0)}% of the three lifecycles' cost, and ${((index / sum(units, (u) => u.tableWriteUnits + u.indexWriteUnits)) * 100).toFixed(0)}% of those write units are index writes: both indexes project ALL, and a run write moves the whole run item in the status index (its sort key, updatedAt, changes every time)`;
      })()],
      ['if Lambda is slower', `each 100 ms more on every invocation adds ${f.lifecycles.map((l) => `${usd(priceOf('lambdaArmGbSecond', gbSeconds(100, LAMBDA_MEMORY_MB) * (usageOf(l, f.idleSweepMs).lambdaRequests)))} (${l.name})`).join(', ')}`],
      ['whole benchmark', seconds(f.totalMs)],
    ],
    tables: [usageTable, comparison.table, lambdaTable, dynamoTable],
    checks: costChecks(f),
  };
}

export const costBenchmark: Benchmark = {
  name: 'cost',
  run: async (options) => costReport(await measureCost(options.progress)),
};

