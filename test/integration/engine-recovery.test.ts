import { afterAll, describe, expect, it } from 'vitest';
import { namespaceFor } from '../../constructs/index.js';
import { expectedObjects, harness, objectsInNamespace, stepsOf, waitForEvent, waitForStatus } from './engine-harness.js';

describe('engine: crash recovery', () => {
  const h = harness();
  afterAll(() => h.cleanup());

  it('resumes a store interrupted mid-provisioning in a new engine on the same database, without duplicates', async () => {
    const a = h.engine();
    await a.p.start();
    const row = await a.p.create(h.spec(h.name('crash')), { actor: 'test' });
    const steps = stepsOf(row);
    const mid = steps[Math.floor(steps.length / 2)]!;
    await waitForEvent(a.p, row.id, (e) => e.step === mid.name && e.phase === 'started');
    await a.p.stop(0); // the process dies: no waiting for the running step
    expect(a.p.get(row.id).status).toBe('Provisioning');

    const b = h.engine();
    await b.p.start();
    const ready = await waitForStatus(b.p, row.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');

    const events = b.p.events(row.id);
    const resumed = events.findIndex((e) => e.step === 'store' && /Resumed after an engine restart/.test(e.message));
    expect(resumed).toBeGreaterThan(0);
    // every step succeeded once the new engine took over
    const after = events.slice(resumed);
    for (const s of steps) expect(after.some((e) => e.step === s.name && e.phase === 'succeeded')).toBe(true);
    // steps finished before the crash were found already present, not created twice
    expect(after.find((e) => e.step === steps[0]!.name && e.phase === 'succeeded')?.message).toMatch(/already present/);
    expect(after.find((e) => e.step === steps[0]!.name && e.phase === 'started')?.attempt).toBe(2);

    expect(await objectsInNamespace(h.kube, ready)).toEqual(expectedObjects(ready));
    // each Job ran exactly one pod
    const pods = await h.kube.core.listNamespacedPod({ namespace: namespaceFor(ready.slug) });
    const jobPods = new Map<string, number>();
    for (const pod of pods.items) {
      const job = pod.metadata?.labels?.['job-name'];
      if (job) jobPods.set(job, (jobPods.get(job) ?? 0) + 1);
    }
    expect([...jobPods.values()].every((n) => n === 1)).toBe(true);
  });

  it('picks up stores still queued (Pending) when the engine stopped', async () => {
    const a = h.engine({ concurrency: 1 });
    await a.p.start();
    const first = await a.p.create(h.spec(h.name('queued')), { actor: 'test' });
    const second = await a.p.create(h.spec(h.name('queued')), { actor: 'test' });
    expect(a.p.queuePosition(second.id)).toBe(1);
    await a.p.stop(10_000); // graceful: lets the running API call finish, leaves the rest
    expect(a.p.get(second.id).status).toBe('Pending');

    const b = h.engine();
    await b.p.start();
    const rows = await Promise.all([first, second].map((r) => waitForStatus(b.p, r.id, ['Ready', 'Failed'])));
    expect(rows.map((r) => r.status)).toEqual(['Ready', 'Ready']);
  });
});
