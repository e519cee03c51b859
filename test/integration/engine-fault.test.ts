import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, type PlatformSettings } from '../../constructs/index.js';
import type { StoreEventRow } from '../../src/db/repos/events-repo.js';
import { startPrivateCluster, UNAVAILABLE_IMAGE_REGISTRY, type PrivateCluster } from '../support/cluster.js';
import { specFor, startApi, type ApiHarness } from './api-harness.js';
import { harness, stepsOf, waitForEvent, waitForStatus, type Harness } from './engine-harness.js';

// Stopping the shared cluster's API server would fail every other test file running at the same
// time, so this file brings up a private simulated cluster of its own.
describe('engine: API server outage', () => {
  let cluster: PrivateCluster;
  let h: Harness;
  beforeAll(async () => {
    cluster = await startPrivateCluster();
    h = harness(cluster.kubeConfig());
  });
  afterAll(async () => {
    await h?.cleanup();
    await cluster?.destroy();
  });

  it('delays but does not fail a store when the API server is unreachable for a few seconds mid-provisioning', async () => {
    const { p } = h.engine({ retry: { baseMs: 200, maxMs: 1_000 } });
    await p.start();
    const row = await p.create(h.spec(h.name('fault')), { actor: 'test' });
    const steps = stepsOf(row);
    await waitForEvent(p, row.id, (e) => e.step === steps[2]!.name && e.phase === 'started');
    const outage = cluster.restart('kube-apiserver', 3_000);
    const ready = await waitForStatus(p, row.id, ['Ready', 'Failed'], 150_000);
    await outage;
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');

    const events = p.events(row.id);
    const retries = events.filter((e) => e.phase === 'retrying');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.some((e) => /unreachable|ECONNREFUSED|ECONNRESET|ServiceUnavailable|HTTP 5\d\d|etcd/i.test(e.message))).toBe(true);
    // a row stands for attempts attempt - count + 1 .. attempt: the outage's first retry is attempt 1
    expect(retries.map((e) => e.attempt - e.count + 1)).toContain(1);
    expect(events.some((e) => e.phase === 'failed')).toBe(false);
  });

  it('backs a waiting step\'s polls off to the retry policy during an outage and writes one row per reason, with a count', async () => {
    const retry = { baseMs: 500, maxMs: 4_000 };
    // a WordPress that never starts keeps the step waiting (polling) for the whole outage
    const stuck: PlatformSettings = { ...DEFAULT_PLATFORM_SETTINGS, images: { ...DEFAULT_PLATFORM_SETTINGS.images, wordpress: `${UNAVAILABLE_IMAGE_REGISTRY}wordpress:6.8.3-php8.3-apache` } };
    const { p } = h.engine({ platform: stuck, retry, stepTimeouts: { wordpress: 300 } });
    await p.start();
    const row = await p.create(h.spec(h.name('flood')), { actor: 'test' });
    await waitForEvent(p, row.id, (e) => e.step === 'wordpress' && e.phase === 'info' && /ImagePullBackOff/.test(e.message));
    const t0 = Date.now();
    await cluster.restart('kube-apiserver', 6_000);
    const outageMs = Date.now() - t0;
    // the first poll after the outage succeeds: no new retry row after it
    await new Promise((r) => setTimeout(r, retry.maxMs + 1_000));

    const retries = p.events(row.id).filter((e) => e.phase === 'retrying');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((e) => e.step === 'wordpress')).toBe(true);
    // no two rows in a row for the same reason: a repeat bumps the row's count instead
    const reason = (e: StoreEventRow) => e.message.replace(/ \(retry in \d+ ms\)$/, '');
    for (let i = 1; i < retries.length; i++) expect(reason(retries[i]!)).not.toBe(reason(retries[i - 1]!));
    const total = retries.reduce((n, e) => n + e.count, 0);
    expect(retries.length).toBeLessThan(total);
    const repeated = retries.find((e) => e.count > 1)!;
    expect(repeated.lastAt!.getTime()).toBeGreaterThan(repeated.at.getTime());
    // equal-jitter backoff waits at least half of min(base * 2^(n-1), max) before retry n + 1
    let minElapsed = 0;
    let mostRetries = 0;
    while (minElapsed <= outageMs + 1_000) minElapsed += Math.min(retry.baseMs * 2 ** mostRetries++, retry.maxMs) / 2;
    expect(total).toBeLessThanOrEqual(mostRetries);
    expect(Math.max(...retries.map((e) => e.attempt))).toBeLessThanOrEqual(mostRetries);
    await p.delete(row.id, 'test');
  });

  it('names the scheduler\'s reason on the timeline while a pod cannot be placed, and goes on once it can', async () => {
    // every node's CPU taken by a pod bound to it directly (the scheduler counts it, kwok runs it)
    const core = h.kube.core;
    const hog = await core.createNamespace({ body: { metadata: { generateName: 'hog-' } } });
    const namespace = hog.metadata!.name!;
    // pods are admitted only with the namespace's `default` service account; make it rather than wait
    // for the controller (its queue can lag behind after the API server restarts above)
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'default' } } }).catch((err: unknown) => {
      if ((err as { code?: number }).code !== 409) throw err;
    });
    // the real node, when it is up, is tainted for its own pods: the scheduler names it with another reason
    const allNodes = (await core.listNode()).items;
    const nodes = allNodes.filter((n) => n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake');
    for (const n of nodes) {
      await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: `hog-${n.metadata!.name}` },
          spec: { nodeName: n.metadata!.name!, containers: [{ name: 'hog', image: 'hog:1', resources: { requests: { cpu: String(n.status!.allocatable!.cpu) } } }] },
        },
      });
    }
    const { p } = h.engine();
    await p.start();
    const row = await p.create(h.spec(h.name('full')), { actor: 'test' });
    try {
      const waiting = await waitForEvent(p, row.id, (e) => e.phase === 'info' && /Insufficient cpu/.test(e.message), 90_000);
      expect(waiting.step).toBe('mysql');
      expect(waiting.message).toMatch(new RegExp(`^Waiting: pod mysql-0 unschedulable: 0/${allNodes.length} nodes are available: (.*, )?${nodes.length} Insufficient cpu`));
      expect(p.get(row.id).status).toBe('Provisioning');
    } finally {
      // force-delete the hogs themselves: the scheduler sees the CPU free at once, not when the
      // namespace controller (which can lag after the restarts above) gets to them
      for (const n of nodes) await core.deleteNamespacedPod({ namespace, name: `hog-${n.metadata!.name}`, gracePeriodSeconds: 0 });
      await core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 });
    }
    const ready = await waitForStatus(p, row.id, ['Ready', 'Failed'], 120_000);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
  }, 240_000);

  describe('interactive calls', () => {
    let api: ApiHarness;
    let id: string;
    const TIMEOUT_S = 2;
    beforeAll(async () => {
      api = await startApi({ KUBECONFIG: cluster.kubeconfigPath, KUBE_REQUEST_TIMEOUT_SECONDS: TIMEOUT_S });
      const res = await api.call('POST', '/api/v1/stores', { body: specFor(api.name('deadline')) });
      expect(res.status).toBe(202);
      id = ((await res.json()) as { id: string }).id;
      expect((await waitForStatus(api.platform.provisioner, id, ['Ready', 'Failed'], 120_000)).status).toBe('Ready');
    });
    afterAll(async () => {
      await api?.close();
    });

    const interactive = (): [string, string, unknown?][] => [
      ['GET', `/api/v1/stores/${id}/health`],
      ['GET', `/api/v1/stores/${id}/credentials`],
      ['GET', `/api/v1/stores/${id}/logs`],
      ['POST', `/api/v1/stores/${id}/actions/restart`, {}],
      ['POST', `/api/v1/stores/${id}/actions/reset-admin-password`],
    ];

    /** Each call answers 503 problem+json within the deadline (plus a margin for the answer itself). */
    async function expectPrompt503(limitMs: number): Promise<void> {
      for (const [method, path, body] of interactive()) {
        const t0 = Date.now();
        const res = await api.call(method, path, body === undefined ? {} : { body });
        const ms = Date.now() - t0;
        expect(res.status, `${method} ${path}`).toBe(503);
        expect(res.headers.get('content-type'), `${method} ${path}`).toMatch(/^application\/problem\+json/);
        expect(((await res.json()) as { code: string }).code, `${method} ${path}`).toBe('KUBERNETES_API_ERROR');
        expect(ms, `${method} ${path}`).toBeLessThan(limitMs);
      }
      const t0 = Date.now();
      const ready = await api.call('GET', '/readyz', { key: null });
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { kubernetes: string } }).checks.kubernetes).toBe('unreachable');
      expect(Date.now() - t0).toBeLessThan(3_500);
    }

    /** With `component` stopped every call answers 503 within `limitMs`; once it is back they answer again. */
    async function outage(component: 'etcd' | 'kube-apiserver', limitMs: number): Promise<void> {
      expect((await api.call('GET', `/api/v1/stores/${id}/health`)).status).toBe(200);
      expect((await api.call('GET', '/readyz', { key: null })).status).toBe(200);
      await cluster.stop(component);
      try {
        await expectPrompt503(limitMs);
      } finally {
        await cluster.start(component);
        for (let i = 0; (await api.call('GET', '/readyz', { key: null })).status !== 200; i++) {
          if (i > 120) throw new Error('/readyz never turned ready again');
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      // the API server is ready before its caches are warm again: a first list may still miss the deadline
      for (let i = 0; (await api.call('GET', `/api/v1/stores/${id}/health`)).status !== 200; i++) {
        if (i > 60) throw new Error('health never answered again after the outage');
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    it('answers every call that waits on the cluster with 503 within its client deadline while etcd is down, and /readyz with 503', async () => {
      await outage('etcd', TIMEOUT_S * 1000 + 1_500);
    });

    it('answers them with 503 at once while the API server is down', async () => {
      await outage('kube-apiserver', TIMEOUT_S * 1000 + 500);
    });
  });
});
