import { ApiException, type KubernetesObjectApi } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, type StoreSpec } from '../../../constructs/index.js';
import { openDb } from '../../../src/db/client.js';
import { IllegalTransitionError, StoreLimitReachedError, StoreNameTakenError } from '../../../src/errors.js';
import type { KubeClients } from '../../../src/k8s/client.js';
import { createLogger } from '../../../src/logger.js';
import { Provisioner, type StoreRow } from '../../../src/provisioner/index.js';

// The façade's bookkeeping over an in-memory database. The Kubernetes side is a stub that only
// answers "not found": every path exercised here must not need a cluster (the engine itself is
// tested against the simulated cluster in test/integration/engine-*.test.ts).
const notFound = async (): Promise<never> => {
  throw new ApiException(404, 'x', JSON.stringify({ reason: 'NotFound' }), {});
};
// no watches either: readiness falls back to polling, as it does while a watch is down
const changes = { start: async () => {}, stop: async () => {}, watching: () => false };
const kube = { objects: { read: notFound } as unknown as KubernetesObjectApi, changes } as unknown as KubeClients;

const spec = (name: string, extra: Partial<StoreSpec> = {}): StoreSpec => ({
  name, engine: 'woocommerce', plan: 'small', adminEmail: 'a@example.com', title: 'T', currency: 'USD', ...extra,
});

function make(extra: { maxStores?: number } = {}) {
  const db = openDb(':memory:');
  const p = new Provisioner({
    db, kube, log: createLogger('silent'),
    options: { concurrency: 1, teardownOnFailure: false, platform: DEFAULT_PLATFORM_SETTINGS, retry: { baseMs: 1, maxMs: 2 }, ...extra },
    desired: () => { throw new Error('engine refused the spec'); },
  });
  return { p, db };
}

/** Steps with no objects: each is ready at once, so the whole reconcile runs without a cluster. */
function makeInstant() {
  const db = openDb(':memory:');
  const steps = ['one', 'two', 'three'].map((name) => ({ name, title: name, objects: [], readiness: { kind: 'Applied' as const }, timeoutSeconds: 5 }));
  const p = new Provisioner({
    db, kube, log: createLogger('silent'),
    options: { concurrency: 1, teardownOnFailure: false, platform: DEFAULT_PLATFORM_SETTINGS, retry: { baseMs: 1, maxMs: 2 } },
    desired: (row) => ({ namespace: `store-${row.slug}`, owner: {}, steps }),
  });
  return { p, db };
}

function settle(p: Provisioner, id: string, status: StoreRow['status']): Promise<StoreRow> {
  return new Promise((resolve) => {
    const check = (r: StoreRow): void => {
      if (r.id === id && r.status === status) { p.bus.off('store', check); resolve(r); }
    };
    p.bus.on('store', check);
    check(p.get(id));
  });
}

let current: ReturnType<typeof make> | undefined;
afterEach(async () => {
  await current?.p.stop(1000);
  current?.db.$client.close();
});

describe('Provisioner façade', () => {
  it('fails with StoreLimitReachedError at maxStores, even for creates issued together, and counts only live stores', async () => {
    current = make({ maxStores: 2 });
    const { p } = current;
    const results = await Promise.allSettled(['lim-a', 'lim-b', 'lim-c', 'lim-d'].map((n) => p.create(spec(n), { actor: 'k' })));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(refused).toHaveLength(2);
    for (const err of refused) {
      expect(err).toBeInstanceOf(StoreLimitReachedError);
      expect((err as Error).message).toMatch(/MAX_STORES\) is 2/);
    }
    expect(p.list({ limit: 10 }).items).toHaveLength(2);
  });

  it('numbers the closing row like the steps of its run, also after a plan change', async () => {
    current = makeInstant();
    const { p } = current;
    const row = await p.create(spec('runs'), { actor: 'k' });
    await settle(p, row.id, 'Ready');
    await p.changePlan(row.id, 'standard', 'k');
    await settle(p, row.id, 'Ready');
    const rows = p.events(row.id).filter((e) => e.phase === 'started' || (e.step === 'store' && e.phase === 'succeeded'));
    expect(rows.map((e) => `${e.step}:${e.phase}#${e.attempt}`)).toEqual([
      'one:started#1', 'two:started#1', 'three:started#1', 'store:succeeded#1',
      'one:started#2', 'two:started#2', 'three:started#2', 'store:succeeded#2',
    ]);
  });

  it('defaults teardownOnFailure to the platform setting and lets the request override it', async () => {
    current = make();
    const { p } = current;
    expect((await p.create(spec('td-default'), { actor: 'k' })).teardownOnFailure).toBe(false);
    expect((await p.create({ ...spec('td-request'), teardownOnFailure: true }, { actor: 'k' })).teardownOnFailure).toBe(true);
  });

  it('inserts a Pending store, announces it, and records a failure with the failing step', async () => {
    current = make();
    const { p } = current;
    const seen: string[] = [];
    p.bus.on('store', (r: StoreRow) => seen.push(r.status));
    const row = await p.create(spec('shop-one'), { actor: 'key-1' });
    expect(row).toMatchObject({ status: 'Pending', slug: 'shop-one', createdBy: 'key-1', storeUrl: 'http://shop-one.127.0.0.1.nip.io', databaseServer: 'mariadb' });
    const failed = await settle(p, row.id, 'Failed');
    expect(failed.failedStep).toBe('synthesize');
    expect(failed.statusReason).toBe('Synthesize manifests: engine refused the spec');
    expect(seen).toEqual(['Pending', 'Provisioning', 'Failed']);
    expect(p.events(row.id).map((e) => `${e.step}:${e.phase}`)).toEqual(['store:info', 'synthesize:failed']);
  });

  it('fails on a taken name', async () => {
    current = make();
    const { p } = current;
    await p.create(spec('shop-two'), { actor: 'k' });
    await expect(p.create(spec('shop-two'), { actor: 'k' })).rejects.toBeInstanceOf(StoreNameTakenError);
  });

  it('retries only Failed stores, deletes them, and frees the name', async () => {
    current = make();
    const { p } = current;
    const row = await p.create(spec('shop-four'), { actor: 'k' });
    await settle(p, row.id, 'Failed');
    const again = await p.retry(row.id, { actor: 'k' });
    expect(again.status).toBe('Pending');
    await settle(p, row.id, 'Failed');
    const deleting = await p.delete(row.id, 'k');
    expect(deleting.status).toBe('Deleting');
    expect((await p.delete(row.id, 'k')).status).toBe('Deleting'); // repeat delete is a no-op
    const deleted = await settle(p, row.id, 'Deleted');
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    await expect(p.retry(row.id, 'k')).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(p.delete(row.id, 'k')).rejects.toThrow(/already deleted/);
    await expect(p.create(spec('shop-four'), { actor: 'k' })).resolves.toMatchObject({ status: 'Pending' });
  });

  it('pages through stores newest first', async () => {
    current = make();
    const { p } = current;
    for (const n of ['pg-a', 'pg-b', 'pg-c']) await p.create(spec(n), { actor: 'k' });
    const first = p.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    const second = p.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    expect(new Set([...first.items, ...second.items].map((r) => r.slug))).toEqual(new Set(['pg-a', 'pg-b', 'pg-c']));
    expect(() => p.list({ limit: 2, cursor: 'garbage' })).toThrow(/cursor/);
  });
});
