import { BatchV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInImage } from '../../infra/images/images.js';
import { REAL_NODE } from '../../infra/cluster/real-node/index.js';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { BASE_DOMAIN, importStandInImage, REAL_NODE_STORE_CONFIG, realCluster, realKubeConfig, runOnce, tcpProbe, testNamespace, until, viaIngress } from './support.js';

// A Medusa store provisioned by the platform onto the real node: the store image built from
// infra/images/medusa without a Docker engine, Debian-made PostgreSQL and Redis stand-ins. Every step
// runs for real: migrations and the setup script in the setup Job, the server behind Traefik, and
// the store check placing a real order (then cancelling it) before the store is Ready.

const realNodeConfig = REAL_NODE_STORE_CONFIG;

interface TimelineEvent { step: string; phase: string; at?: string; message?: string }

describe('a Medusa store on the real node, Ready only after a real order', () => {
  let h: ApiHarness;
  let id = '';
  let name = '';
  let namespace = '';
  let readyAfterMs = 0;
  const kc = realKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);

  beforeAll(async () => {
    realCluster();
    for (const image of ['medusa', 'postgres', 'redis'] as const) {
      if (!existsSync(standInImage(image).archive)) throw new Error(`image ${image} is not built: bash infra/images/build.sh ${image}`);
    }
    importStandInImage('medusa');
    h = await startApi(realNodeConfig);
    name = h.name('medusa-shop');
    const started = Date.now();
    const res = await h.call('POST', '/api/v1/stores', { body: specFor(name, { engine: 'medusa', plan: 'small' }) });
    expect(res.status).toBe(202);
    ({ id, namespace } = (await res.json()) as { id: string; namespace: string });
    await until('the Medusa store to be Ready', async () => {
      const store = (await (await h.call('GET', `/api/v1/stores/${id}`)).json()) as { status: string };
      if (store.status === 'Failed') throw new Error(`store failed: ${JSON.stringify(await timeline())}`);
      return store.status === 'Ready' ? true : undefined;
    }, 15 * 60_000, 2000);
    readyAfterMs = Date.now() - started;
  }, 16 * 60_000);
  afterAll(async () => {
    if (h && id) await h.call('DELETE', `/api/v1/stores/${id}`);
    await h?.close();
  });

  async function timeline(): Promise<TimelineEvent[]> {
    return ((await (await h.call('GET', `/api/v1/stores/${id}/events`)).json()) as { items: TimelineEvent[] }).items;
  }
  async function podsOf(component: string): Promise<V1Pod[]> {
    return (await core.listNamespacedPod({ namespace, labelSelector: `app.kubernetes.io/name=${component}` })).items;
  }

  it('went through every Medusa step in order and was Ready after the store check', async () => {
    const succeeded = (await timeline()).filter((e) => e.phase === 'succeeded').map((e) => e.step);
    const steps = ['namespace', 'guardrails', 'secrets', 'network-policy', 'postgres', 'redis', 'store-setup', 'medusa', 'ingress', 'store-check'];
    expect(succeeded.filter((s) => steps.includes(s))).toEqual(steps);
    console.log(`medusa store request-to-Ready on the real node: ${Math.round(readyAfterMs / 1000)} s`);
  });

  it('placed a real order through the Store API and cancelled it (the store check\'s log)', async () => {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'job-name=store-check' });
    const done = pods.items.find((p) => p.status?.phase === 'Succeeded')!;
    const log = await core.readNamespacedPodLog({ name: done.metadata!.name!, namespace, container: done.spec!.containers[0]!.name });
    expect(log).toMatch(/\{"orderId":"order_[0-9A-Z]+","status":"canceled"\}/);
    const job = await kc.makeApiClient(BatchV1Api).readNamespacedJob({ name: 'store-check', namespace });
    expect(job.status?.succeeded).toBe(1);
  });

  it('runs PostgreSQL, Redis and the Medusa server on real-0, non-root, Ready', async () => {
    for (const component of ['postgres', 'redis', 'medusa']) {
      const pods = await podsOf(component);
      expect(pods.length, component).toBe(1);
      expect(pods[0]!.spec?.nodeName, component).toBe(REAL_NODE.name);
      expect(pods[0]!.spec?.securityContext?.runAsNonRoot, component).toBe(true);
      expect(pods[0]!.status?.containerStatuses?.every((c) => c.ready), component).toBe(true);
    }
  });

  it('serves /health and the storefront API through Traefik by the store host', async () => {
    expect((await viaIngress(`${name}.${BASE_DOMAIN}`, '/health')).status).toBe(200);
    // the Store API refuses a request without a publishable key: the server, not the ingress, answers
    expect((await viaIngress(`${name}.${BASE_DOMAIN}`, '/store/products')).status).toBe(400);
  });

  it('serves the admin dashboard at /app/ through Traefik', async () => {
    const res = await viaIngress(`${name}.${BASE_DOMAIN}`, '/app/');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<div id="medusa"|<html/i);
  });

  it('hands out credentials that sign in to the Admin API, and a password reset replaces them', async () => {
    const host = `${name}.${BASE_DOMAIN}`;
    const creds = (await (await h.call('GET', `/api/v1/stores/${id}/credentials`)).json()) as { adminUrl: string; username: string; password: string };
    expect(creds.adminUrl).toBe(`http://${host}/app/`);
    expect(await signIn(host, creds.username, creds.password)).toBe(200);
    const reset = await h.call('POST', `/api/v1/stores/${id}/actions/reset-admin-password`);
    expect(reset.status).toBe(200);
    const fresh = ((await reset.json()) as { password: string }).password;
    expect(fresh).not.toBe(creds.password);
    expect(await signIn(host, creds.username, fresh)).toBe(200);
    expect(await signIn(host, creds.username, creds.password)).toBe(401);
  });

  it('serves the server\'s real log lines through the logs endpoint, and restarts it', async () => {
    const logs = (await (await h.call('GET', `/api/v1/stores/${id}/logs?component=medusa&tail=200`)).json()) as { entries: { lines: string[] }[] };
    expect(logs.entries.flatMap((e) => e.lines).join('\n')).toMatch(/Server is ready on port: 9000|Creating server/);
    const [before] = await podsOf('medusa');
    expect((await h.call('POST', `/api/v1/stores/${id}/actions/restart`, { body: { component: 'medusa' } })).status).toBe(202);
    await expect.poll(async () => (await podsOf('medusa')).some((p) => p.metadata?.uid !== before!.metadata?.uid && p.status?.containerStatuses?.every((c) => c.ready)),
      { timeout: 180_000, interval: 2000 }).toBe(true);
  });

  it('refuses packets from another namespace to PostgreSQL, Redis and the server', async () => {
    const ip = async (component: string) => (await podsOf(component))[0]!.status!.podIP!;
    const outsider = await testNamespace('outsider');
    try {
      const probe = async (component: string, port: number) => (await runOnce(outsider.name, tcpProbe(await ip(component), port))).logs.trim();
      expect({ postgres: await probe('postgres', 5432), redis: await probe('redis', 6379), medusa: await probe('medusa', 9000) })
        .toEqual({ postgres: 'REFUSED', redis: 'REFUSED', medusa: 'REFUSED' });
    } finally {
      await outsider.remove();
    }
  });

  it('removes the store\'s volume from the disk when the store is deleted', async () => {
    const volumesDir = join(realCluster().realNode.dir, 'volumes');
    const ours = (): string[] => (existsSync(volumesDir) ? readdirSync(volumesDir) : []).filter((d) => d.includes(`_${namespace}_`));
    expect(ours().length).toBe(1); // PostgreSQL's
    expect((await h.call('DELETE', `/api/v1/stores/${id}`)).status).toBe(202);
    await expect.poll(ours, { timeout: 180_000, interval: 1000 }).toEqual([]);
    id = '';
  });
});

/** Signs in to the store's Admin API through the ingress controller; resolves with the HTTP status. */
async function signIn(host: string, email: string, password: string): Promise<number> {
  return (await viaIngress(host, '/auth/user/emailpass', { json: { email, password }, timeoutMs: 10_000 })).status;
}
