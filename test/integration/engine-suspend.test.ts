import type { V1CronJob, V1Deployment, V1Ingress, V1StatefulSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_NAMES, NAME_LABEL, namespaceFor, STORE_ID_LABEL } from '../../constructs/index.js';
import { SUSPEND_FIELD_MANAGER } from '../../src/k8s/workloads.js';
import type { Provisioner, StoreRow } from '../../src/provisioner/index.js';
import { RESUME_STEPS, SUSPEND_STEPS } from '../../src/provisioner/suspend.js';
import { statusOf } from '../support/cluster.js';
import { harness, waitForEvent, waitForStatus, type Harness } from './engine-harness.js';

// Suspend and resume on the simulated cluster: what the engine leaves in the store's namespace at each
// end (replicas, CronJobs, the Ingress's backend, the maintenance page, volumes and Secrets), a
// restart of the engine in the middle of either, a failure and its retry, and deleting a suspended store.

const WORKLOADS = [{ kind: 'StatefulSet', name: 'mysql' }, { kind: 'Deployment', name: 'wordpress' }] as const;

async function readyStore(h: Harness, p: Provisioner, prefix: string): Promise<StoreRow> {
  const created = await p.create(h.spec(h.name(prefix)), { actor: 'test' });
  const row = await waitForStatus(p, created.id, ['Ready', 'Failed']);
  expect(row.status, row.statusReason ?? '').toBe('Ready');
  return row;
}

/** What a suspend or resume is about, read from the cluster. */
async function clusterState(h: Harness, row: StoreRow) {
  const namespace = namespaceFor(row.slug);
  const replicas: Record<string, number | undefined> = {};
  for (const w of WORKLOADS) {
    const obj = w.kind === 'StatefulSet'
      ? await h.kube.apps.readNamespacedStatefulSet({ name: w.name, namespace }) as V1StatefulSet
      : await h.kube.apps.readNamespacedDeployment({ name: w.name, namespace }) as V1Deployment;
    replicas[w.name] = obj.spec?.replicas;
  }
  const pods = (await h.kube.core.listNamespacedPod({ namespace })).items;
  const cron = await h.kube.batch.readNamespacedCronJob({ name: 'wp-cron', namespace }) as V1CronJob;
  const ingress = await h.kube.objects.read({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'wordpress', namespace } }) as V1Ingress;
  const claims = (await h.kube.core.listNamespacedPersistentVolumeClaim({ namespace })).items;
  const secrets = (await h.kube.core.listNamespacedSecret({ namespace, labelSelector: `${STORE_ID_LABEL}=${row.slug}` })).items;
  const exists = async (apiVersion: string, kind: string, name: string) => {
    try {
      await h.kube.objects.read({ apiVersion, kind, metadata: { name, namespace } });
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw err;
    }
  };
  return {
    replicas,
    workloadPods: pods.filter((pod) => WORKLOADS.some((w) => pod.metadata?.labels?.[NAME_LABEL] === w.name)).length,
    cronSuspended: cron.spec?.suspend ?? false,
    host: ingress.spec?.rules?.[0]?.host,
    backend: ingress.spec?.rules?.[0]?.http?.paths[0]?.backend.service,
    claims: claims.map((c) => `${c.metadata?.name}:${c.metadata?.uid}:${c.status?.phase}`).sort(),
    secrets: secrets.map((s) => `${s.metadata?.name}:${s.metadata?.uid}`).sort(),
    page: {
      deployment: await exists('apps/v1', 'Deployment', MAINTENANCE_NAMES.responder),
      service: await exists('v1', 'Service', MAINTENANCE_NAMES.responder),
      configMap: await exists('v1', 'ConfigMap', MAINTENANCE_NAMES.page),
      policy: await exists('networking.k8s.io/v1', 'NetworkPolicy', MAINTENANCE_NAMES.policy),
    },
  };
}

const ALL_PAGE = { deployment: true, service: true, configMap: true, policy: true };
const NO_PAGE = { deployment: false, service: false, configMap: false, policy: false };

/** Step names of the timeline entries in `phase` after the entry with id `after`. */
const stepsAfter = (p: Provisioner, id: string, after: number, phase: string) => p.events(id).filter((e) => e.id > after && e.phase === phase).map((e) => e.step);

async function checkJobUid(h: Harness, row: StoreRow): Promise<string | undefined> {
  try {
    return (await h.kube.batch.readNamespacedJob({ name: 'store-check', namespace: namespaceFor(row.slug) })).metadata?.uid;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

describe('engine: suspend and resume', () => {
  const h = harness();
  let p: Provisioner;
  beforeAll(async () => {
    p = h.engine().p;
    await p.start();
  });
  afterAll(() => h.cleanup());

  it('scales a Ready store to zero behind the maintenance page, keeping its volumes and Secrets, and brings it back', async () => {
    const row = await readyStore(h, p, 'suspend');
    const before = await clusterState(h, row);
    expect(before).toMatchObject({ replicas: { mysql: 1, wordpress: 1 }, cronSuspended: false, backend: { name: 'wordpress' }, page: NO_PAGE });
    expect(before.claims.length).toBeGreaterThan(0);
    const checkBefore = await checkJobUid(h, row);
    const mark = p.events(row.id).at(-1)!.id;

    expect((await p.suspend(row.id, 'test')).status).toBe('Suspending');
    const suspended = await waitForStatus(p, row.id, ['Suspended', 'Failed']);
    expect(suspended.status, suspended.statusReason ?? '').toBe('Suspended');
    const during = await clusterState(h, row);
    expect(during).toMatchObject({
      replicas: { mysql: 0, wordpress: 0 }, workloadPods: 0, cronSuspended: true, host: before.host,
      backend: { name: MAINTENANCE_NAMES.responder, port: { number: 80 } }, page: ALL_PAGE,
    });
    expect(during.claims).toEqual(before.claims);
    expect(during.secrets).toEqual(before.secrets);
    expect(stepsAfter(p, row.id, mark, 'succeeded')).toEqual([...Object.values(SUSPEND_STEPS).map((s) => s.name), 'suspend']);
    // the replicas are written under the suspend manager, so a later apply of the store takes them back
    const wp = await h.kube.apps.readNamespacedDeployment({ name: 'wordpress', namespace: namespaceFor(row.slug) });
    expect((wp.metadata?.managedFields ?? []).filter((f) => JSON.stringify(f.fieldsV1 ?? {}).includes('"f:replicas"')).map((f) => f.manager)).toContain(SUSPEND_FIELD_MANAGER);

    // the namespace's quota usage drops to the responder alone
    for (let i = 0; ; i++) {
      const used = (await h.kube.core.readNamespacedResourceQuota({ name: 'store-quota', namespace: namespaceFor(row.slug) })).status?.used ?? {};
      if (used.pods === '1' && used['requests.cpu'] === '10m') break;
      if (i > 100) throw new Error(`quota usage did not drop: ${JSON.stringify(used)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // a repeat is a no-op; resume takes it back
    expect((await p.suspend(row.id, 'test')).status).toBe('Suspended');
    const mark2 = p.events(row.id).at(-1)!.id;
    expect((await p.resume(row.id, 'test')).status).toBe('Resuming');
    const resumed = await waitForStatus(p, row.id, ['Ready', 'Failed']);
    expect(resumed.status, resumed.statusReason ?? '').toBe('Ready');
    const after = await clusterState(h, row);
    expect(after).toMatchObject({ replicas: { mysql: 1, wordpress: 1 }, cronSuspended: false, host: before.host, backend: before.backend, page: NO_PAGE });
    expect(after.workloadPods).toBe(2);
    expect(after.claims).toEqual(before.claims);
    expect(after.secrets).toEqual(before.secrets);
    expect(stepsAfter(p, row.id, mark2, 'succeeded')).toEqual([...Object.values(RESUME_STEPS).map((s) => s.name), 'resume']);
    // the store check ran again: a new Job, complete
    const checkAfter = await checkJobUid(h, row);
    expect(checkAfter).toBeDefined();
    expect(checkAfter).not.toBe(checkBefore);
  });

  it('fails to suspend a store that is not Ready, or to resume one that is not Suspended', async () => {
    const row = await readyStore(h, p, 'refuse');
    await expect(p.resume(row.id, 'test')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION', statusCode: 409 });
    await p.suspend(row.id, 'test');
    await expect(p.resume(row.id, 'test')).rejects.toThrow('only a Suspended store can be resumed (status is Suspending)');
    await waitForStatus(p, row.id, ['Suspended']);
    await expect(p.changePlan(row.id, 'large', 'test')).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    await expect(p.restart(row.id)).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    // a suspended store is still there to read
    expect((await p.health(row.id)).pvcs.length).toBeGreaterThan(0);
    expect((await p.credentials(row.id)).password.length).toBeGreaterThan(0);
    // and it may be deleted
    await p.delete(row.id, 'test');
    expect((await waitForStatus(p, row.id, ['Deleted', 'Failed'])).status).toBe('Deleted');
  });

  it('finishes a suspend and a resume interrupted by an engine restart', async () => {
    const a = h.engine();
    await a.p.start();
    const row = await readyStore(h, a.p, 'restart');
    await a.p.suspend(row.id, 'test');
    await waitForEvent(a.p, row.id, (e) => e.step === SUSPEND_STEPS.cronJobs.name && e.phase === 'succeeded');
    await a.p.stop(0); // the process dies mid-suspend
    expect(a.p.get(row.id).status).toBe('Suspending');

    const b = h.engine();
    await b.p.start();
    const suspended = await waitForStatus(b.p, row.id, ['Suspended', 'Failed']);
    expect(suspended.status, suspended.statusReason ?? '').toBe('Suspended');
    expect(b.p.events(row.id).some((e) => e.step === 'suspend' && /again after an engine restart/.test(e.message))).toBe(true);
    // the steps done before the crash ran again (idempotently): their second attempt
    expect(b.p.events(row.id).filter((e) => e.step === SUSPEND_STEPS.maintenance.name && e.phase === 'started').map((e) => e.attempt)).toEqual([1, 2]);
    expect(await clusterState(h, row)).toMatchObject({ replicas: { mysql: 0, wordpress: 0 }, workloadPods: 0, cronSuspended: true, page: ALL_PAGE });

    await b.p.resume(row.id, 'test');
    await waitForEvent(b.p, row.id, (e) => e.step === RESUME_STEPS.workloads.name && e.phase === 'started');
    await b.p.stop(0); // and dies mid-resume
    expect(b.p.get(row.id).status).toBe('Resuming');

    const c = h.engine();
    await c.p.start();
    const ready = await waitForStatus(c.p, row.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    expect(c.p.events(row.id).some((e) => e.step === 'resume' && /again after an engine restart/.test(e.message))).toBe(true);
    expect(await clusterState(h, row)).toMatchObject({ replicas: { mysql: 1, wordpress: 1 }, cronSuspended: false, backend: { name: 'wordpress' }, page: NO_PAGE });
  });

  it('deletes a store in the middle of its suspend: the delete wins', async () => {
    const row = await readyStore(h, p, 'mid-delete');
    await p.suspend(row.id, 'test');
    await waitForEvent(p, row.id, (e) => e.step === SUSPEND_STEPS.maintenance.name && e.phase === 'started');
    expect((await p.delete(row.id, 'test')).status).toBe('Deleting');
    expect((await waitForStatus(p, row.id, ['Deleted', 'Failed'])).status).toBe('Deleted');
    const events = p.events(row.id);
    // the suspend either stopped where it was or had just finished; it never ran past the delete
    const deleteAt = events.findIndex((e) => e.step === 'delete' && e.phase === 'info');
    expect(events.slice(deleteAt).some((e) => e.step.startsWith('suspend-') && e.phase === 'started')).toBe(false);
  });

  it('fails a suspend with the step and its reason, and a retry runs the suspend again', async () => {
    const row = await readyStore(h, p, 'foreign');
    const namespace = namespaceFor(row.slug);
    // someone else's ConfigMap where the page goes: never adopted
    await h.kube.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: MAINTENANCE_NAMES.page }, data: { a: 'b' } } });
    await p.suspend(row.id, 'test');
    const failed = await waitForStatus(p, row.id, ['Failed', 'Suspended']);
    expect(failed).toMatchObject({ status: 'Failed', failedStep: SUSPEND_STEPS.maintenance.name });
    expect(failed.statusReason).toMatch(/^Maintenance page: .*ConfigMap .*maintenance-page.* not managed by this store/);
    // the store still serves: nothing was scaled down, the Ingress still points at WordPress
    expect(await clusterState(h, row)).toMatchObject({ replicas: { mysql: 1, wordpress: 1 }, backend: { name: 'wordpress' } });

    await h.kube.core.deleteNamespacedConfigMap({ name: MAINTENANCE_NAMES.page, namespace });
    expect(await p.retry(row.id, 'test')).toMatchObject({ status: 'Suspending', failedStep: null, statusReason: null });
    const suspended = await waitForStatus(p, row.id, ['Suspended', 'Failed']);
    expect(suspended.status, suspended.statusReason ?? '').toBe('Suspended');
    expect(suspended.failedStep).toBeNull();
  });
});

describe('engine: soft delete, undelete and purge (a fake clock)', () => {
  const HOUR = 3_600_000;
  const h = harness();
  let clock = Date.now();
  let p: Provisioner;
  beforeAll(async () => {
    p = h.engine({ undeleteWindowHours: 24 }, { now: () => new Date(clock) }).p;
    await p.start();
  });
  afterAll(() => h.cleanup());

  const parked = (row: StoreRow) => waitForEvent(p, row.id, (e) => e.step === 'delete' && e.phase === 'succeeded' && /parked/.test(e.message));

  it('parks a deleted Ready store behind its maintenance page with its name kept, and an undelete brings it back as it was', async () => {
    const row = await readyStore(h, p, 'soft');
    const before = await clusterState(h, row);
    const deleting = await p.delete(row.id, 'test');
    expect(deleting).toMatchObject({ status: 'Deleting', undeleteTo: 'Ready' });
    expect(deleting.purgeAt?.getTime()).toBe(clock + 24 * HOUR);
    const done = await parked(row);
    expect(done.message).toContain(`it can be undeleted until ${new Date(clock + 24 * HOUR).toISOString()}`);
    expect(p.get(row.id).status).toBe('Deleting');
    const during = await clusterState(h, row);
    expect(during).toMatchObject({
      replicas: { mysql: 0, wordpress: 0 }, workloadPods: 0, cronSuspended: true, backend: { name: MAINTENANCE_NAMES.responder }, page: ALL_PAGE,
    });
    expect(during.claims).toEqual(before.claims);
    // its name is still its own
    await expect(p.create(h.spec(row.slug), { actor: 'test' })).rejects.toMatchObject({ code: 'STORE_NAME_TAKEN' });
    clock += 23 * HOUR;
    expect(p.purgeDue()).not.toContain(row.id);

    expect(await p.undelete(row.id, 'test')).toMatchObject({ status: 'Resuming', purgeAt: null, undeleteTo: null });
    const ready = await waitForStatus(p, row.id, ['Ready', 'Failed']);
    expect(ready.status, ready.statusReason ?? '').toBe('Ready');
    const after = await clusterState(h, row);
    expect(after).toMatchObject({ replicas: { mysql: 1, wordpress: 1 }, workloadPods: 2, cronSuspended: false, backend: before.backend, page: NO_PAGE });
    expect(after.claims).toEqual(before.claims);
    expect(after.secrets).toEqual(before.secrets);
    await expect(p.undelete(row.id, 'test')).rejects.toThrow('only a deleted store can be undeleted (status is Ready)');
  });

  it('purges a soft-deleted store at its purge time and not a second before, and refuses an undelete from then on', async () => {
    const row = await readyStore(h, p, 'purge');
    const deleting = await p.delete(row.id, 'test');
    await parked(row);
    clock = deleting.purgeAt!.getTime() - 1;
    expect(p.purgeDue()).not.toContain(row.id);
    expect(p.get(row.id).status).toBe('Deleting');
    clock += 1;
    await expect(p.undelete(row.id, 'test')).rejects.toThrow(`the store's undelete window ended at ${deleting.purgeAt!.toISOString()}; it is being purged`);
    expect(p.purgeDue()).toContain(row.id);
    const deleted = await waitForStatus(p, row.id, ['Deleted', 'Failed']);
    expect(deleted.status, deleted.statusReason ?? '').toBe('Deleted');
    await expect(h.kube.core.readNamespace({ name: namespaceFor(row.slug) })).rejects.toSatisfy((err) => statusOf(err) === 404);
    // the name is free again
    const again = await p.create(h.spec(row.slug), { actor: 'test' });
    await p.delete(again.id, { actor: 'test', purgeNow: true });
    expect((await waitForStatus(p, again.id, ['Deleted', 'Failed'])).status).toBe('Deleted');
  });

  it('undeletes a deleted Suspended store back to Suspended; purge now ends the window of a soft-deleted store', async () => {
    const row = await readyStore(h, p, 'soft-suspended');
    await p.suspend(row.id, 'test');
    await waitForStatus(p, row.id, ['Suspended']);
    expect(await p.delete(row.id, 'test')).toMatchObject({ status: 'Deleting', undeleteTo: 'Suspended' });
    await parked(row);
    expect(await p.undelete(row.id, 'test')).toMatchObject({ status: 'Suspended', purgeAt: null });
    expect(await clusterState(h, row)).toMatchObject({ replicas: { mysql: 0, wordpress: 0 }, workloadPods: 0, page: ALL_PAGE });

    const deleting = await p.delete(row.id, 'test');
    expect(deleting.purgeAt).not.toBeNull();
    const purging = await p.delete(row.id, { actor: 'test', purgeNow: true });
    expect(purging).toMatchObject({ status: 'Deleting', undeleteTo: null });
    expect(purging.purgeAt!.getTime()).toBe(clock);
    expect((await waitForStatus(p, row.id, ['Deleted', 'Failed'])).status).toBe('Deleted');
    expect(p.events(row.id).some((e) => e.step === 'delete' && /^Purge requested by test/.test(e.message))).toBe(true);
  });

  it('purges a store that was not Ready or Suspended at once, with no window', async () => {
    const created = await p.create(h.spec(h.name('early')), { actor: 'test' });
    const deleting = await p.delete(created.id, 'test');
    expect(deleting).toMatchObject({ status: 'Deleting', purgeAt: null, undeleteTo: null });
    await expect(p.undelete(created.id, 'test')).rejects.toThrow('the store was deleted without an undelete window; it is being purged');
    expect((await waitForStatus(p, created.id, ['Deleted', 'Failed'])).status).toBe('Deleted');
  });
});
