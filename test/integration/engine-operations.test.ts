import { PatchStrategy, type KubernetesObject, type V1Deployment, type V1StatefulSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USERNAME, DEFAULT_PLATFORM_SETTINGS, namespaceFor } from '../../constructs/index.js';
import { createIfAbsent, ensureObject, FIELD_MANAGER, serverSideApply } from '../../src/k8s/apply.js';
import { waitForReady } from '../../src/k8s/readiness.js';
import { ROLLOUT_FIELD_MANAGER } from '../../src/k8s/workloads.js';
import type { Provisioner, StoreRow } from '../../src/provisioner/index.js';
import { UnknownComponentError } from '../../src/provisioner/operations.js';
import { harness, stepsOf, waitForStatus } from './engine-harness.js';

describe('engine: operations on a Ready store', () => {
  const h = harness();
  let p: Provisioner;
  let row: StoreRow;
  let ns: string;
  beforeAll(async () => {
    p = h.engine().p;
    await p.start();
    const created = await p.create(h.spec(h.name('ops')), { actor: 'test' });
    row = await waitForStatus(p, created.id, ['Ready', 'Failed']);
    expect(row.status, row.statusReason ?? '').toBe('Ready');
    ns = namespaceFor(row.slug);
  });
  afterAll(() => h.cleanup());

  it('reads the admin credentials live from the store Secret', async () => {
    const c = await p.credentials(row.id);
    expect(c).toMatchObject({ storeId: row.id, adminUrl: `${row.storeUrl}/wp-admin/`, username: ADMIN_USERNAME });
    expect(c.password.length).toBeGreaterThanOrEqual(12);
    expect(JSON.stringify(p.events(row.id))).not.toContain(c.password);
  });

  it('resets the admin password through a one-off job and returns the new one once', async () => {
    const before = await p.credentials(row.id);
    const reset = await p.resetAdminPassword(row.id);
    expect(reset.username).toBe(ADMIN_USERNAME);
    expect(reset.password).not.toBe(before.password);
    expect((await p.credentials(row.id)).password).toBe(reset.password);
    const jobs = await h.kube.batch.listNamespacedJob({ namespace: ns });
    const resetJobs = jobs.items.filter((j) => j.metadata?.name?.startsWith('reset-admin-password-'));
    expect(resetJobs).toHaveLength(1);
    expect(resetJobs[0]!.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')).toBe(true);
    expect(JSON.stringify(resetJobs[0]!.spec)).not.toContain(reset.password);
    expect(p.events(row.id).at(-1)).toMatchObject({ step: 'reset-admin-password', phase: 'succeeded' });
    expect(JSON.stringify(p.events(row.id))).not.toContain(reset.password);
  });

  it('fails on an unknown component', async () => {
    await expect(p.restart(row.id, 'redis')).rejects.toBeInstanceOf(UnknownComponentError);
    await expect(p.logs(row.id, { component: 'redis', tail: 10 })).rejects.toBeInstanceOf(UnknownComponentError);
  });

  it('reports pods, claims and quota usage', async () => {
    const health = await p.health(row.id);
    const names = health.pods.map((x) => x.component);
    expect(names).toEqual(expect.arrayContaining(['mysql', 'wordpress']));
    expect(health.pods.filter((x) => x.component === 'wordpress').every((x) => x.phase === 'Running')).toBe(true);
    expect(health.pvcs.length).toBeGreaterThan(0);
    expect(health.pvcs.every((c) => c.phase === 'Bound')).toBe(true);
    expect(health.quota.find((q) => q.resource === 'pods')).toBeDefined();
  });

  it('returns one log entry per pod of the component', async () => {
    const logs = await p.logs(row.id, { component: 'wordpress', tail: 20 });
    expect(logs.entries.length).toBeGreaterThan(0);
    expect(logs.entries.every((e) => e.container === 'wordpress' && Array.isArray(e.lines))).toBe(true);
  });

  it('restarts one component or all of them with a rollout (pod-template annotation)', async () => {
    const podsOf = async (name: string) => (await h.kube.core.listNamespacedPod({ namespace: ns, labelSelector: `app.kubernetes.io/name=${name}` }))
      .items.map((x) => x.metadata?.uid);
    const before = await podsOf('wordpress');
    expect(await p.restart(row.id, 'wordpress')).toEqual({ storeId: row.id, restarted: ['wordpress'] });
    const dep = await h.kube.apps.readNamespacedDeployment({ name: 'wordpress', namespace: ns }) as V1Deployment;
    expect(dep.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    // the restart patch is recorded under the platform's rollout manager, not the HTTP client's name
    const restartedBy = (dep.metadata?.managedFields ?? []).filter((f) => JSON.stringify(f.fieldsV1 ?? {}).includes('restartedAt')).map((f) => f.manager);
    expect(restartedBy).toEqual([ROLLOUT_FIELD_MANAGER]);
    const rule = stepsOf(row).find((s) => s.readiness.kind === 'DeploymentAvailable')!;
    await waitForReady(h.kube.objects, rule, { deadline: Date.now() + 60_000, timeoutSeconds: 60 });
    const after = await podsOf('wordpress');
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((uid) => before.includes(uid))).toBe(false);

    expect((await p.restart(row.id)).restarted.sort()).toEqual(['mysql', 'wordpress']);
    const sts = await h.kube.apps.readNamespacedStatefulSet({ name: 'mysql', namespace: ns }) as V1StatefulSet;
    expect(sts.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    for (const s of stepsOf(row).filter((x) => x.readiness.kind === 'DeploymentAvailable' || x.readiness.kind === 'StatefulSetReady')) {
      await waitForReady(h.kube.objects, s, { deadline: Date.now() + 60_000, timeoutSeconds: 60 });
    }
    expect(p.events(row.id).filter((e) => e.step === 'restart')).toHaveLength(2);
  });

  it('server-side applies a live object: drift is corrected and the platform owns the fields', async () => {
    const step = stepsOf(row).find((s) => s.readiness.kind === 'DeploymentAvailable')!;
    const desired = step.objects.find((o) => o.kind === 'Deployment')!;
    // drift: someone scales the Deployment by hand
    await h.kube.objects.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'wordpress', namespace: ns }, spec: { replicas: 3 } },
      undefined, undefined, 'kubectl-edit', undefined, PatchStrategy.MergePatch);
    expect((await h.kube.apps.readNamespacedDeployment({ name: 'wordpress', namespace: ns })).spec?.replicas).toBe(3);
    await serverSideApply(h.kube.objects, desired);
    const after = await h.kube.objects.read<KubernetesObject & { spec?: { replicas?: number } }>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'wordpress', namespace: ns } });
    expect(after.spec?.replicas).toBe((desired.spec as { replicas?: number }).replicas ?? 1);
    expect(after.metadata?.managedFields?.some((m) => m.manager === FIELD_MANAGER && m.operation === 'Apply')).toBe(true);
    expect(DEFAULT_PLATFORM_SETTINGS.images.wordpress).toBeTruthy();
  });

  it('removes on its first server-side apply a field only the create set (the create\'s fields are adopted)', async () => {
    const owner = { 'store-platform.io/store-id': row.slug };
    const cm = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'adopt', namespace: ns, labels: owner }, data });
    expect(await createIfAbsent(h.kube.objects, cm({ kept: '1', dropped: '2' }), owner)).toBe('created');
    expect(await ensureObject(h.kube.objects, cm({ kept: '1', added: '3' }), owner, 'apply')).toBe('applied');
    const live = await h.kube.core.readNamespacedConfigMap({ name: 'adopt', namespace: ns });
    expect(live.data).toEqual({ kept: '1', added: '3' });
    expect(live.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toEqual([[FIELD_MANAGER, 'Apply']]);
  });
});

describe('engine: plan change of a live store', () => {
  const h = harness();
  afterAll(() => h.cleanup());

  it('server-side applies the new plan: quota and container sizes follow, the store returns to Ready at generation 2', async () => {
    const { p } = h.engine();
    await p.start();
    const created = await p.create(h.spec(h.name('plan')), { actor: 'test' });
    const ready = await waitForStatus(p, created.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    const ns = namespaceFor(ready.slug);

    const moving = await p.changePlan(ready.id, 'standard', 'test');
    expect(moving).toMatchObject({ status: 'Provisioning', plan: 'standard', generation: 2 });
    const done = await waitForStatus(p, ready.id, ['Ready', 'Failed']);
    expect(done.status, done.statusReason ?? '').toBe('Ready');
    expect(done.observedGeneration).toBe(2);

    const want = stepsOf(done);
    const quota = want.flatMap((s) => s.objects).find((o) => o.kind === 'ResourceQuota')!;
    const liveQuota = await h.kube.core.readNamespacedResourceQuota({ name: quota.metadata.name, namespace: ns });
    expect(liveQuota.spec?.hard?.['requests.storage']).toBe((quota.spec as { hard: Record<string, string> }).hard['requests.storage']);
    const dep = want.flatMap((s) => s.objects).find((o) => o.kind === 'Deployment')!;
    const wantCpu = (dep.spec as { template: { spec: { containers: { resources: { requests: { cpu: string } } }[] } } }).template.spec.containers[0]!.resources.requests.cpu;
    const liveDep = await h.kube.apps.readNamespacedDeployment({ name: 'wordpress', namespace: ns });
    expect(String(liveDep.spec?.template.spec?.containers[0]?.resources?.requests?.cpu)).toBe(String(wantCpu));
    const after = p.events(ready.id).slice(p.events(ready.id).findIndex((e) => /Plan change small -> standard/.test(e.message)));
    expect(after.some((e) => e.phase === 'succeeded' && /applied/.test(e.message))).toBe(true);
    // the second run's steps and its closing row carry the same attempt number
    const closing = after.find((e) => e.step === 'store' && e.phase === 'succeeded')!;
    expect(closing.attempt).toBe(2);
    expect(new Set(after.filter((e) => e.phase === 'started').map((e) => e.attempt))).toEqual(new Set([2]));
    await expect(p.changePlan(ready.id, 'large', 'test')).resolves.toMatchObject({ status: 'Provisioning' });
    await expect(p.changePlan(ready.id, 'small', 'test')).rejects.toThrow(/only a Ready store/);
    await waitForStatus(p, ready.id, ['Ready', 'Failed']);
  });
});
