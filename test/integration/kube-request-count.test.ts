import { describe, expect, it } from 'vitest';
import { kubeClientsFrom } from '../../src/k8s/client.js';
import { kubeConfig } from '../support/cluster.js';

// The client-side request counter behind store_platform_kube_requests_total, against the real API
// server: every request the platform's clients send is counted once, by method, bounded views included.

const delta = (before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(Object.entries(after).map(([m, n]) => [m, n - (before[m] ?? 0)]).filter(([, n]) => n !== 0));

describe('Kubernetes API request counter', () => {
  it('counts each request the clients send, by method, across bounded views', async () => {
    const kube = kubeClientsFrom(kubeConfig());
    const name = `count-${process.pid}-${Date.now()}`;
    const before = kube.requestCounts();

    await kube.core.readNamespace({ name: 'default' });
    await kube.core.listNamespace({ limit: 1 });
    await kube.core.createNamespace({ body: { metadata: { name } } });
    await kube.bounded({ requestTimeoutMs: 10_000 }).core.readNamespace({ name });
    await kube.objects.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

    // the generic client may look up the kind's resource once (discovery), itself a GET
    const counted = delta(before, kube.requestCounts());
    expect(counted.POST).toBe(1);
    expect(counted.DELETE).toBe(1);
    expect(counted.GET).toBeGreaterThanOrEqual(3);
    expect(counted.GET).toBeLessThanOrEqual(4);
    expect(Object.keys(counted).sort()).toEqual(['DELETE', 'GET', 'POST']);
  });

  it('counts a refused request too: it reached the API server', async () => {
    const kube = kubeClientsFrom(kubeConfig());
    const before = kube.requestCounts();
    await expect(kube.core.readNamespace({ name: 'no-such-namespace-here' })).rejects.toThrow();
    expect(delta(before, kube.requestCounts())).toEqual({ GET: 1 });
  });
});
