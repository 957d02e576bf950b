/** The run-listing benchmark's table: the mix of statuses, types and dates an operator's year of runs holds. */
import { playbooks } from '../../../config/playbooks';
import { settings } from '../../support/builders';
import { AHEAD_DAYS, dayRange, listingPlace, PAST_DAYS, planListingSeed } from '../../../bench/run-listing-seed';

const NOW = new Date('2026-12-01T12:00:00.000Z');

describe('the run-listing seed', () => {
  const runs = 10_000;
  const places = Array.from({ length: runs }, (_, i) => listingPlace(i, runs));
  const tally = (key: (p: (typeof places)[number]) => string) => places.reduce<Record<string, number>>((t, p) => ({ ...t, [key(p)]: (t[key(p)] ?? 0) + 1 }), {});

  it('holds mostly completed runs, some scheduled, a few hundred needing attention and some awaiting approval', () => {
    const byStatus = tally((p) => p.status);
    expect(byStatus.completed).toBeGreaterThan(runs * 0.7);
    expect(byStatus.scheduled).toBeGreaterThan(runs * 0.1);
    expect(byStatus.needs_attention).toBeGreaterThanOrEqual(200);
    expect(byStatus.needs_attention).toBeLessThanOrEqual(500);
    expect(byStatus.awaiting_approval).toBeGreaterThanOrEqual(100);
  });

  it('spreads effective dates over the past year and the 90 days ahead: a past run is never scheduled, a run ahead never completed', () => {
    expect(Math.min(...places.map((p) => p.effectiveInDays))).toBe(-PAST_DAYS);
    expect(Math.max(...places.map((p) => p.effectiveInDays))).toBe(AHEAD_DAYS - 1);
    expect(places.filter((p) => p.effectiveInDays <= 0 && (p.status === 'scheduled' || p.status === 'awaiting_approval'))).toEqual([]);
    expect(places.filter((p) => p.effectiveInDays > 0 && p.status === 'completed')).toEqual([]);
  });

  it('interleaves hires, moves and leaves through the year, so a type filter keeps a third of any stretch of the table', () => {
    expect(tally((p) => p.type)).toEqual({ hire: 3334, role_change: 3333, terminate: 3333 });
    const recent = places.slice(runs - 300);
    expect(recent.filter((p) => p.type === 'terminate')).toHaveLength(100);
  });

  it('gives most employees a hire, then a move, then a leave', () => {
    const byEmployee = new Map<number, typeof places>();
    for (const p of places) byEmployee.set(p.employee, [...(byEmployee.get(p.employee) ?? []), p]);
    const inOrder = [...byEmployee.values()].filter((ps) => ps.map((p) => p.type).join() === 'hire,role_change,terminate');
    expect(inOrder.length).toBeGreaterThan(byEmployee.size * 0.6);
    expect(Math.max(...[...byEmployee.values()].map((ps) => ps.length))).toBe(3);
  });

  it('carries each planned run to its status: a completed run has every step succeeded and is out of the due index; every update time differs', () => {
    const seeds = planListingSeed(600, NOW, playbooks, settings);
    const done = seeds.filter((s) => s.run.status === 'completed');
    expect(done.length).toBeGreaterThan(300);
    for (const { run } of done) {
      expect(run.steps.every((s) => s.status === 'succeeded')).toBe(true);
      expect(run.dueShard).toBeUndefined();
      expect(run.updatedAt <= NOW.toISOString()).toBe(true);
    }
    const failing = seeds.filter((s) => s.run.status === 'needs_attention');
    expect(failing.length).toBeGreaterThan(0);
    for (const { run } of failing) expect(run.steps.filter((s) => s.status === 'needs_attention')).toHaveLength(1);
    expect(new Set(seeds.map((s) => s.run.updatedAt)).size).toBe(seeds.length);
  });

  it('names a date range by days from the instant, both ends included', () => {
    expect(dayRange(NOW, -183, -177)).toEqual({ from: '2026-06-01', to: '2026-06-07' });
  });
});
