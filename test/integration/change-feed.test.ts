import { AppsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../../constructs/labels.js';
import { ChangeFeed, type WatchedRef } from '../../src/k8s/change-feed.js';
import { createTestNamespace, deleteNamespace, kubeConfig } from '../support/cluster.js';

// The watches behind readiness-by-watch, against the real API server: they list and watch the
// platform's own objects of every kind readiness waits on, wake exactly the waiters of a changed
// object, and ignore objects without the platform's label.

const kc = kubeConfig();
const apps = kc.makeApiClient(AppsV1Api);
let ns: string;
const KINDS = ['Namespace', 'ResourceQuota', 'StatefulSet', 'Deployment', 'Job'];

const deployment = (name: string, labels: Record<string, string>) => ({
  metadata: { name, labels },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } },
  },
});

const scale = (name: string, replicas: number) =>
  apps.replaceNamespacedDeploymentScale({ namespace: ns, name, body: { metadata: { name, namespace: ns }, spec: { replicas } } });

/** How the armed wait ended, and after how many milliseconds. */
async function outcome(p: Promise<'changed' | 'quiet'>): Promise<{ why: string; ms: number }> {
  const t0 = Date.now();
  const why = await p;
  return { why, ms: Date.now() - t0 };
}

type Cached = { metadata: Record<string, unknown>; spec: Record<string, unknown> };

/** Waits, change by change, until the watch's copy of `ref` satisfies `wanted`; fails on a quiet wait. */
async function cachedWhen(feed: ChangeFeed, ref: WatchedRef, wanted: (o: Cached) => boolean, maxWaitMs: number): Promise<Cached> {
  for (;;) {
    const next = feed.nextChange(ref, maxWaitMs); // armed before the look, so no change slips between
    const copy = feed.cached(ref) as Cached | undefined;
    if (copy && wanted(copy)) {
      next.cancel();
      return copy;
    }
    if ((await next.changed) === 'quiet') throw new Error(`no change of ${ref.name} within ${maxWaitMs} ms`);
  }
}

describe('ChangeFeed', () => {
  const feed = new ChangeFeed(kc);
  const states: string[] = [];
  beforeAll(async () => {
    ns = await createTestNamespace('feed', { [MANAGED_BY_LABEL]: MANAGED_BY });
    await feed.start((kind, state) => states.push(`${kind} ${state}`));
  });
  afterAll(async () => {
    await feed.stop();
    await deleteNamespace(ns, false);
  });

  it('lists and watches every kind readiness waits on', () => {
    for (const kind of KINDS) expect(feed.watching(kind)).toBe(true);
    expect(states.sort()).toEqual(KINDS.map((k) => `${k} watching`).sort());
  });

  it('wakes the waiter of a labelled object when it changes, long before its fallback', async () => {
    const name = 'watched';
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment(name, { [MANAGED_BY_LABEL]: MANAGED_BY }) });
    const ref = { kind: 'Deployment', namespace: ns, name };
    const other = feed.nextChange({ ...ref, name: 'someone-else' }, 3_000);
    const wake = feed.nextChange(ref, 60_000);
    const t0 = Date.now();
    await scale(name, 1);
    expect((await outcome(wake.changed)).why).toBe('changed');
    // the controller's own status writes wake waiters too (late under load), so wait through
    // them until the watch's copy shows the scale; each wait would take 60 s without the watch
    const copy = await cachedWhen(feed, ref, (o) => o.spec.replicas === 1, 60_000);
    expect(Date.now() - t0).toBeLessThan(15_000);
    // only what the readiness rules read is kept: no managed fields, no pod template
    expect(copy.metadata.generation).toBeGreaterThanOrEqual(2);
    expect(copy.metadata.managedFields).toBeUndefined();
    expect(copy.spec.template).toBeUndefined();
    // a waiter of another object sleeps on to its own fallback
    const quiet = await outcome(other.changed);
    expect(quiet.why).toBe('quiet');
    expect(quiet.ms).toBeGreaterThan(1_500);
  });

  it('is not woken by an object without the platform label', async () => {
    const name = 'unlabelled';
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment(name, {}) });
    const wake = feed.nextChange({ kind: 'Deployment', namespace: ns, name }, 2_000);
    await scale(name, 1);
    expect((await outcome(wake.changed)).why).toBe('quiet');
    expect(feed.cached({ kind: 'Deployment', namespace: ns, name })).toBeUndefined();
  });

  it('stops watching on stop, so waiters fall back to polling', async () => {
    const other = new ChangeFeed(kc);
    await other.start();
    expect(other.watching('Job')).toBe(true);
    await other.stop();
    expect(other.watching('Job')).toBe(false);
    expect(other.cached({ kind: 'Namespace', name: ns })).toBeUndefined();
  });
});
