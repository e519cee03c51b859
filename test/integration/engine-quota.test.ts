import type { V1ResourceQuota } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLATFORM_SETTINGS, namespaceFor, storeLabels, synthesizeStore } from '../../constructs/index.js';
import type { KubeObject } from '../../constructs/readiness.js';
import { createIfAbsent, toRequestObject } from '../../src/k8s/apply.js';
import { KubeApiError } from '../../src/k8s/errors.js';
import { withRetry } from '../../src/k8s/retry.js';
import { generateStoreSecrets } from '../../src/manifests/secrets.js';
import { createTestNamespace, deleteNamespace } from '../support/cluster.js';
import { harness, TEST_RETRY, waitForEvent, waitForStatus } from './engine-harness.js';

// ResourceQuota usage can be over-charged for a while (admission charges a create the API server then
// loses, pods still terminating); the quota controller recounts it when a tracked object goes away or
// at its resync. Here the test over-charges the usage through the status subresource, the way such a
// lost create leaves it, and deleting a spare Secret makes the real controller recount.

const secret = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels }, stringData: { k: 'v' },
});

describe('engine: quota refusals', () => {
  const h = harness();
  const namespaces: string[] = [];
  afterAll(async () => {
    await h.cleanup();
    await Promise.all(namespaces.map((n) => deleteNamespace(n, false).catch(() => undefined)));
  });

  async function quotaIn(namespace: string, secrets: number): Promise<void> {
    await h.kube.core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'q' }, spec: { hard: { secrets: String(secrets) } } } });
    await observed(namespace, 'q');
  }

  async function observed(namespace: string, name: string): Promise<V1ResourceQuota> {
    for (let i = 0; i < 200; i++) {
      const q = await h.kube.core.readNamespacedResourceQuota({ namespace, name });
      if (q.status?.used && Object.keys(q.spec?.hard ?? {}).every((k) => q.status?.used?.[k] !== undefined)) return q;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`quota ${namespace}/${name} never observed`);
  }

  /** What a lost create leaves behind: the quota says `secrets` are used that do not exist. */
  async function overCharge(namespace: string, name: string, secrets: number): Promise<void> {
    const q = await h.kube.core.readNamespacedResourceQuota({ namespace, name });
    await h.kube.core.replaceNamespacedResourceQuotaStatus({
      namespace, name, body: { ...q, status: { ...q.status, used: { ...q.status?.used, secrets: String(secrets) } } },
    });
  }

  it('retries a create refused by an over-charged quota until the quota controller recounts, with the reason on each retry', async () => {
    const namespace = await createTestNamespace('quota-over');
    namespaces.push(namespace);
    await quotaIn(namespace, 2);
    await h.kube.objects.create(toRequestObject(secret(namespace, 'spare')));
    await observed(namespace, 'q');
    await overCharge(namespace, 'q', 2);

    const reasons: string[] = [];
    const outcome = await withRetry(() => createIfAbsent(h.kube.objects, secret(namespace, 'wanted'), {}), {
      policy: TEST_RETRY, deadline: Date.now() + 60_000,
      onRetry: (err) => {
        reasons.push(err.message);
        // the spare goes away: the replenishment controller recounts the namespace's real usage
        if (reasons.length === 1) void h.kube.core.deleteNamespacedSecret({ namespace, name: 'spare' });
      },
    });
    expect(outcome).toBe('created');
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons[0]).toMatch(/Secret .*\/wanted: .*exceeded quota: q, requested: secrets=1, used: secrets=2, limited: secrets=2/);
  });

  it('fails at once on a create the quota could never admit', async () => {
    const namespace = await createTestNamespace('quota-never');
    namespaces.push(namespace);
    await quotaIn(namespace, 0);
    // admission reads quotas from the API server's own cache, which can lag the controller's status under
    // load: wait until a dry-run create is refused, so the real one below meets a quota admission knows
    for (let i = 0; ; i++) {
      const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'probe', namespace } };
      const known = await h.kube.core.createNamespacedSecret({ namespace, body, dryRun: 'All' }).then(() => false, (e: unknown) => String(e).includes('exceeded quota'));
      if (known) break;
      if (i > 100) throw new Error(`admission never enforced quota ${namespace}/q`);
      await new Promise((r) => setTimeout(r, 100));
    }
    let retries = 0;
    const err = await withRetry(() => createIfAbsent(h.kube.objects, secret(namespace, 'wanted'), {}), {
      policy: TEST_RETRY, deadline: Date.now() + 60_000, onRetry: () => { retries++; },
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).transient).toBe(false);
    expect((err as KubeApiError).message).toMatch(/exceeded quota: q, requested: secrets=1, used: secrets=0, limited: secrets=0/);
    expect(retries).toBe(0);
  });

  it('provisions a store through an over-charged quota: the refusals are retries on the timeline, not a failure', async () => {
    const { p } = h.engine();
    await p.start();
    const name = h.name('quota');
    const ns = namespaceFor(name);
    const steps = synthesizeStore({ spec: h.spec(name), secrets: generateStoreSecrets(), platform: DEFAULT_PLATFORM_SETTINGS });
    // the namespace and its guardrails exist (ours, by their labels), the usage over-charged
    const guardrails = steps.find((s) => s.name === 'guardrails')!;
    for (const o of [...steps[0]!.objects, ...guardrails.objects]) await h.kube.objects.create(toRequestObject(o));
    const quota = guardrails.objects.find((o) => o.kind === 'ResourceQuota')!;
    const hard = Number((quota.spec as { hard: Record<string, string> }).hard.secrets);
    await h.kube.objects.create(toRequestObject(secret(ns, 'spare', storeLabels(name))));
    await observed(ns, quota.metadata.name);
    await overCharge(ns, quota.metadata.name, hard);

    const row = await p.create(h.spec(name), { actor: 'test' });
    const refused = await waitForEvent(p, row.id, (e) => e.phase === 'retrying' && /exceeded quota/.test(e.message));
    expect(refused.step).toBe('secrets');
    expect(refused.message).toContain(`limited: secrets=${hard}`);
    await h.kube.core.deleteNamespacedSecret({ namespace: ns, name: 'spare' });

    const ready = await waitForStatus(p, row.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    expect(p.events(row.id).some((e) => e.phase === 'failed')).toBe(false);
  });
});
