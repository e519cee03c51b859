import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInImage } from '../../infra/images/images.js';
import { REAL_NODE } from '../../infra/cluster/real-node/index.js';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { BASE_DOMAIN, importStandInImage, REAL_NODE_STORE_CONFIG, realCluster, realKubeConfig, runOnce, tcpProbe, testNamespace, until, viaIngress } from './support.js';

// Suspend and resume of a store on the real node. A Medusa store, as it is the engine that reaches
// Ready here (its check places a real order; WooCommerce's setup needs wp-cli, which no registry
// this machine reaches serves): suspend really stops its pods and the maintenance responder (the
// busybox stand-in) answers 503 on the store's host through Traefik; resume brings the same
// database back, the store check passes again, and the order placed before is still there.

const realNodeConfig = REAL_NODE_STORE_CONFIG;

const WORKLOADS = ['postgres', 'redis', 'medusa'] as const;

interface TimelineEvent { step: string; phase: string; message?: string }
interface Store { status: string; statusReason: string | null }

describe('suspend and resume of a Medusa store on the real node', () => {
  let h: ApiHarness;
  let id = '';
  let name = '';
  let host = '';
  let namespace = '';
  let ordersBefore: string[] = [];
  let claimBefore = '';
  const podUids: Record<string, string> = {};
  const core = realKubeConfig().makeApiClient(CoreV1Api);

  async function timeline(): Promise<TimelineEvent[]> {
    return ((await (await h.call('GET', `/api/v1/stores/${id}/events`)).json()) as { items: TimelineEvent[] }).items;
  }
  async function store(): Promise<Store> {
    return (await (await h.call('GET', `/api/v1/stores/${id}`)).json()) as Store;
  }
  async function waitFor(status: string, timeoutMs: number): Promise<void> {
    await until(`the store to be ${status}`, async () => {
      const s = await store();
      if (s.status === 'Failed') throw new Error(`store failed: ${s.statusReason ?? ''}\n${JSON.stringify(await timeline())}`);
      return s.status === status ? true : undefined;
    }, timeoutMs, 2000);
  }
  async function podsOf(component: string): Promise<V1Pod[]> {
    return (await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${component}` })).items;
  }
  /** The orders the Admin API lists, signed in with the store's credentials through Traefik. */
  async function orders(): Promise<string[]> {
    const creds = (await (await h.call('GET', `/api/v1/stores/${id}/credentials`)).json()) as { username: string; password: string };
    const auth = await viaIngress(host, '/auth/user/emailpass', { json: { email: creds.username, password: creds.password }, timeoutMs: 10_000 });
    expect(auth.status, auth.body).toBe(200);
    const { token } = JSON.parse(auth.body) as { token: string };
    const res = await viaIngress(host, '/admin/orders?fields=id&limit=50', { headers: { authorization: `Bearer ${token}` }, timeoutMs: 10_000 });
    expect(res.status, res.body).toBe(200);
    return ((JSON.parse(res.body) as { orders: { id: string }[] }).orders).map((o) => o.id).sort();
  }

  beforeAll(async () => {
    realCluster();
    for (const image of ['medusa', 'postgres', 'redis', 'busybox'] as const) {
      if (!existsSync(standInImage(image).archive)) throw new Error(`stand-in image ${image} is not built: bash infra/images/build.sh ${image}`);
    }
    importStandInImage('medusa');
    importStandInImage('busybox'); // the maintenance responder's (a node started before it was built lacks it)
    h = await startApi(realNodeConfig);
    name = h.name('pause-shop');
    host = `${name}.${BASE_DOMAIN}`;
    const res = await h.call('POST', '/api/v1/stores', { body: specFor(name, { engine: 'medusa', plan: 'small' }) });
    expect(res.status).toBe(202);
    ({ id, namespace } = (await res.json()) as { id: string; namespace: string });
    await waitFor('Ready', 15 * 60_000);
    ordersBefore = await orders();
    claimBefore = (await core.listNamespacedPersistentVolumeClaim({ namespace })).items.map((c) => `${c.metadata?.name}:${c.metadata?.uid}`).join(',');
    for (const c of WORKLOADS) podUids[c] = (await podsOf(c))[0]?.metadata?.uid ?? '';
  }, 16 * 60_000);
  afterAll(async () => {
    if (h && id) await h.call('DELETE', `/api/v1/stores/${id}`);
    await h?.close();
  });

  it('had an order in its database before the suspend (the store check\'s)', () => {
    expect(ordersBefore.length).toBeGreaterThan(0);
    expect(ordersBefore.every((o) => /^order_[0-9A-Z]+$/.test(o))).toBe(true);
  });

  it('suspends: every workload pod really stops and only the maintenance responder runs, on real-0', async () => {
    const res = await h.call('POST', `/api/v1/stores/${id}/actions/suspend`);
    expect(res.status).toBe(202);
    expect(((await res.json()) as Store).status).toBe('Suspending');
    await waitFor('Suspended', 5 * 60_000);
    for (const c of WORKLOADS) expect(await podsOf(c), c).toEqual([]);
    const pods = (await core.listNamespacedPod({ namespace })).items.filter((p) => p.status?.phase === 'Running');
    expect(pods.map((p) => p.metadata?.labels?.['app.kubernetes.io/name'])).toEqual(['maintenance']);
    expect(pods[0]!.spec?.nodeName).toBe(REAL_NODE.name);
    expect(pods[0]!.spec?.securityContext?.runAsUser).toBe(65534);
    // the volume is kept
    expect((await core.listNamespacedPersistentVolumeClaim({ namespace })).items.map((c) => `${c.metadata?.name}:${c.metadata?.uid}`).join(',')).toBe(claimBefore);
    const succeeded = (await timeline()).filter((e) => e.phase === 'succeeded').map((e) => e.step);
    expect(succeeded).toEqual(expect.arrayContaining(['suspend-maintenance', 'suspend-ingress', 'suspend-cronjobs', 'suspend-workloads', 'suspend']));
  }, 6 * 60_000);

  it('answers 503 with Retry-After and the maintenance page on the store\'s host through Traefik, on every path', async () => {
    for (const path of ['/', '/health', '/app/', '/store/products']) {
      const res = await viaIngress(host, path);
      expect(res.status, path).toBe(503);
      expect(res.headers['retry-after'], path).toBe('600');
      expect(res.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(res.body, path).toContain(`is paused</h1>`);
    }
    // another host is not the store's: Traefik has no rule for it
    expect((await viaIngress(`not-${name}.${BASE_DOMAIN}`, '/')).status).toBe(404);
  });

  it('admits no one but the ingress controller to the responder', async () => {
    const [pod] = await podsOf('maintenance');
    const outsider = await testNamespace('outsider');
    try {
      expect((await runOnce(outsider.name, tcpProbe(pod!.status!.podIP!, 8080))).logs.trim()).toBe('REFUSED');
    } finally {
      await outsider.remove();
    }
  });

  it('resumes: the same database comes back, the store check passes again, and the store serves with its data', async () => {
    const res = await h.call('POST', `/api/v1/stores/${id}/actions/resume`);
    expect(res.status).toBe(202);
    expect(((await res.json()) as Store).status).toBe('Resuming');
    await waitFor('Ready', 10 * 60_000);
    for (const c of WORKLOADS) {
      const pods = await podsOf(c);
      expect(pods.length, c).toBe(1);
      expect(pods[0]!.metadata?.uid, `${c} is a new pod`).not.toBe(podUids[c]);
      expect(pods[0]!.status?.containerStatuses?.every((s) => s.ready), c).toBe(true);
    }
    // the responder's Deployment is deleted with resume; its pod stops within its 1 s grace period
    await expect.poll(async () => (await podsOf('maintenance')).length, { timeout: 30_000, interval: 1000 }).toBe(0);
    expect((await viaIngress(host, '/health')).status).toBe(200);
    expect((await viaIngress(host, '/store/products')).status).toBe(400); // the server answers (no publishable key), not the page
    const after = await orders();
    // the order from before is still there; the check of the resume placed (and cancelled) one more
    expect(after).toEqual(expect.arrayContaining(ordersBefore));
    expect(after.length).toBe(ordersBefore.length + 1);
    expect((await core.listNamespacedPersistentVolumeClaim({ namespace })).items.map((c) => `${c.metadata?.name}:${c.metadata?.uid}`).join(',')).toBe(claimBefore);
    const succeeded = (await timeline()).filter((e) => e.phase === 'succeeded').map((e) => e.step);
    expect(succeeded).toEqual(expect.arrayContaining(['resume-workloads', 'resume-cronjobs', 'resume-ingress', 'resume-maintenance', 'resume-check', 'resume']));
  }, 11 * 60_000);
});
