import { describe, expect, it } from 'vitest';
import { ReconcileQueue } from '../../../src/provisioner/queue.js';

/** A reconcile whose runs finish only when the test says so. */
function gated() {
  const waiting = new Map<string, (() => void)[]>();
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const perKey = new Map<string, number>();
  let maxPerKey = 0;
  const reconcile = (id: string) => new Promise<void>((resolve) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    perKey.set(id, (perKey.get(id) ?? 0) + 1);
    maxPerKey = Math.max(maxPerKey, perKey.get(id)!);
    log.push(`start ${id}`);
    const list = waiting.get(id) ?? [];
    list.push(() => { inFlight--; perKey.set(id, perKey.get(id)! - 1); log.push(`end ${id}`); resolve(); });
    waiting.set(id, list);
  });
  const finish = async (id: string) => {
    const fn = waiting.get(id)?.shift();
    if (!fn) throw new Error(`${id} is not running`);
    fn();
    await new Promise((r) => setImmediate(r));
  };
  return { reconcile, finish, log, stats: () => ({ maxInFlight, maxPerKey }) };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ReconcileQueue', () => {
  it('runs at most `concurrency` stores at once and reports depth and positions', async () => {
    const g = gated();
    const q = new ReconcileQueue(g.reconcile, 2);
    for (const id of ['a', 'b', 'c', 'd']) q.enqueue(id);
    await tick();
    expect(q.active()).toBe(2);
    expect(q.depth()).toBe(2);
    expect(q.position('a')).toBe(0);
    expect(q.position('c')).toBe(1);
    expect(q.position('d')).toBe(2);
    expect(q.position('zzz')).toBeUndefined();
    await g.finish('a');
    expect(q.position('d')).toBe(1);
    await g.finish('b');
    await g.finish('c');
    await g.finish('d');
    await q.idle();
    expect(g.stats().maxInFlight).toBe(2);
  });

  it('collapses repeat enqueues of a queued store', async () => {
    const g = gated();
    const q = new ReconcileQueue(g.reconcile, 1);
    q.enqueue('a');
    q.enqueue('b');
    q.enqueue('b');
    q.enqueue('b');
    await tick();
    expect(q.depth()).toBe(1);
    await g.finish('a');
    await g.finish('b');
    await q.idle();
    expect(g.log.filter((l) => l === 'start b')).toHaveLength(1);
  });

  it('never runs the same store twice at once, but runs it again after an enqueue during a run', async () => {
    const g = gated();
    const q = new ReconcileQueue(g.reconcile, 4);
    q.enqueue('a');
    await tick();
    q.enqueue('a');
    q.enqueue('a');
    await tick();
    expect(g.stats().maxPerKey).toBe(1);
    await g.finish('a');
    await tick();
    expect(g.log).toEqual(['start a', 'end a', 'start a']);
    await g.finish('a');
    await q.idle();
    expect(g.stats().maxPerKey).toBe(1);
  });

  it('drops queued work on close and takes no more', async () => {
    const g = gated();
    const q = new ReconcileQueue(g.reconcile, 1);
    q.enqueue('a');
    q.enqueue('b');
    await tick();
    q.close();
    q.enqueue('c');
    expect(q.depth()).toBe(0);
    await g.finish('a');
    await q.idle();
    expect(g.log).toEqual(['start a', 'end a']);
  });

  it('reports a crashing reconcile and keeps going', async () => {
    const errors: string[] = [];
    const q = new ReconcileQueue(async (id) => { if (id === 'bad') throw new Error('boom'); }, 1, (id) => errors.push(id));
    q.enqueue('bad');
    q.enqueue('good');
    await q.idle();
    expect(errors).toEqual(['bad']);
  });

  it('fails on a non-positive concurrency', () => {
    expect(() => new ReconcileQueue(async () => {}, 0)).toThrow(/concurrency/);
  });
});
