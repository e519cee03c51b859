import { dumpYaml } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { namespaceFor } from '../../constructs/index.js';
import type { StoreStatus } from '../../src/db/schema.js';
import { StoreNameTakenError } from '../../src/errors.js';
import { FIELD_MANAGER, toRequestObject } from '../../src/k8s/apply.js';
import { expectedObjects, harness, namespaceExists, objectsInNamespace, stepsOf, waitForEvent, waitForStatus } from './engine-harness.js';

describe('engine: one store from request to Ready to Deleted', () => {
  const h = harness();
  const { p } = h.engine();
  const name = h.name('life');
  afterAll(() => h.cleanup());

  it('takes a store from Pending to Ready, records every step with durations and creates exactly the synthesized objects', async () => {
    await p.start();
    const statuses: StoreStatus[] = [];
    p.bus.on('store', (r: { slug: string; status: StoreStatus }) => { if (r.slug === name) statuses.push(r.status); });
    const row = await p.create(h.spec(name), { actor: 'test' });
    expect(row.status).toBe('Pending');
    expect(row.storeUrl).toBe(`http://${name}.127.0.0.1.nip.io`);

    const ready = await waitForStatus(p, row.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    expect(statuses).toEqual(['Pending', 'Provisioning', 'Ready']);
    expect(ready.readyAt).toBeInstanceOf(Date);
    expect(ready.observedGeneration).toBe(ready.generation);

    const steps = stepsOf(ready);
    const events = p.events(row.id);
    const succeeded = events.filter((e) => e.phase === 'succeeded' && e.step !== 'store');
    expect(succeeded.map((e) => e.step)).toEqual(steps.map((s) => s.name));
    for (const e of succeeded) expect(e.durationMs).toBeGreaterThanOrEqual(0);
    expect(events.filter((e) => e.phase === 'started').map((e) => e.step)).toEqual(steps.map((s) => s.name));
    expect(events.at(-1)).toMatchObject({ step: 'store', phase: 'succeeded' });
    expect(events.some((e) => e.phase === 'failed')).toBe(false);

    expect(await objectsInNamespace(h.kube, ready)).toEqual(expectedObjects(ready));
    // content too, where it decides isolation: every peer and port of every NetworkPolicy reached the
    // API server (client-node's serializer once dropped `from`, opening each allow rule to anyone)
    for (const policy of stepsOf(ready).flatMap((s) => s.objects).filter((o) => o.kind === 'NetworkPolicy')) {
      const live = parse(dumpYaml(await h.kube.objects.read(toRequestObject(policy) as never))) as { spec: unknown };
      expect(live.spec, policy.metadata.name).toEqual(policy.spec);
    }
  });

  it('records every object it creates under its own field manager, so a later server-side apply owns what the create set', async () => {
    const [row] = p.list({ limit: 10 }).items.filter((r) => r.slug === name);
    for (const obj of stepsOf(row!).flatMap((s) => s.objects)) {
      const live = await h.kube.objects.read(toRequestObject(obj) as never);
      const managers = (live.metadata?.managedFields ?? []).filter((f) => f.subresource === undefined || f.subresource === '');
      const what = `${obj.kind} ${obj.metadata.name}`;
      expect(managers.map((f) => f.manager), what).toContain(FIELD_MANAGER);
      expect(managers.map((f) => f.manager), what).not.toContain('node-fetch');
    }
  });

  it('fails on a second live store with the same name', async () => {
    await expect(p.create(h.spec(name), { actor: 'test' })).rejects.toBeInstanceOf(StoreNameTakenError);
  });

  it('deletes the namespace and everything in it, keeps the record, and frees the name', async () => {
    const [first] = p.list({ limit: 10 }).items.filter((r) => r.slug === name);
    const deleting = await p.delete(first!.id, 'test');
    expect(deleting.status).toBe('Deleting');
    const deleted = await waitForStatus(p, first!.id, ['Deleted', 'Failed'], 120_000);
    expect(deleted.status, deleted.statusReason ?? '').toBe('Deleted');
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    expect(await namespaceExists(h.kube, namespaceFor(name))).toBe(false);
    expect(p.events(first!.id).at(-1)).toMatchObject({ step: 'delete', phase: 'succeeded' });

    const again = await p.create(h.spec(name), { actor: 'test' });
    expect(again.id).not.toBe(first!.id);
    const ready = await waitForStatus(p, again.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    expect(p.get(first!.id).status).toBe('Deleted');
    expect(p.events(first!.id).length).toBeGreaterThan(0);
  });

  it('cancels the remaining steps of a store deleted while it is provisioning', async () => {
    const n = h.name('cancel');
    const row = await p.create(h.spec(n), { actor: 'test' });
    const steps = stepsOf(row);
    await waitForEvent(p, row.id, (e) => e.step === steps[1]!.name && e.phase === 'started');
    await p.delete(row.id, { actor: 'test' });
    const deleted = await waitForStatus(p, row.id, ['Deleted', 'Failed'], 120_000);
    expect(deleted.status, deleted.statusReason ?? '').toBe('Deleted');
    const events = p.events(row.id);
    const cancelledAt = events.findIndex((e) => /cancelled: the store is being deleted/.test(e.message));
    expect(cancelledAt).toBeGreaterThan(0);
    // nothing was started after the cancellation, and the last step never ran
    expect(events.slice(cancelledAt).filter((e) => e.phase === 'started' && e.step !== 'delete')).toEqual([]);
    expect(events.some((e) => e.step === steps.at(-1)!.name)).toBe(false);
    expect(events.some((e) => e.step === 'store' && e.phase === 'succeeded')).toBe(false);
    expect(await namespaceExists(h.kube, namespaceFor(n))).toBe(false);
  });
});
