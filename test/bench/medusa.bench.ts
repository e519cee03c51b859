/**
 * `npm run bench:medusa [-- --stores 3 --requests 300]`: Medusa stores on the real node, one at a time,
 * from POST to Ready (the store check's real order included), split by step; then the server's memory
 * (RSS from the kubelet's summary API) idle after Ready and under a short load of Store API reads
 * through Traefik. The image build time is the one infra/images/build.sh printed (cold and cached).
 * Needs the cluster with its real node (`npm run cluster:up -- --real-node`); writes
 * test/bench/results/medusa.{md,json}.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { planTable } from '../../constructs/index.js';
import { imageOverrideEnv } from '../../infra/images/images.js';
import { INGRESS, REAL_NODE, STORAGE_CLASS } from '../../infra/cluster/real-node/index.js';
import { REPO_ROOT } from '../../infra/cluster/paths.js';
import { specFor, startApi, type ApiHarness } from '../integration/api-harness.js';
import { importStandInImage, realCluster, realKubeConfig, until, viaIngress } from '../real/support.js';
import { round, summarize, type Summary } from './lib/stats.js';

const BASE_DOMAIN = 'bench.real.test';
const CONFIG = {
  ...imageOverrideEnv(), STORAGE_CLASS, STORE_NODE_POOL: `${REAL_NODE.poolLabel}=${REAL_NODE.pool}`,
  INGRESS_CLASS: INGRESS.className, INGRESS_NAMESPACE: INGRESS.namespace, INGRESS_SERVICE: INGRESS.service, BASE_DOMAIN,
} as const;
const MIB = 1024 * 1024;

interface TimelineEvent { step: string; phase: string; durationMs?: number }

/** RSS of the Medusa server container of `namespace`, from the kubelet's summary API (MiB). */
async function serverRssMiB(namespace: string): Promise<number> {
  const core = realKubeConfig().makeApiClient(CoreV1Api);
  // client-node hands a JSON answer back already parsed, though its type says string
  const raw: unknown = await core.connectGetNodeProxyWithPath({ name: REAL_NODE.name, path: 'stats/summary' });
  const summary = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {
    pods: { podRef: { name: string; namespace: string }; containers?: { name: string; memory?: { rssBytes?: number } }[] }[];
  };
  const pod = summary.pods.find((p) => p.podRef.namespace === namespace && p.podRef.name.startsWith('medusa-') && !p.podRef.name.startsWith('medusa-worker-'));
  const rss = pod?.containers?.find((c) => c.name === 'medusa')?.memory?.rssBytes;
  if (rss === undefined) throw new Error(`no memory figure for the Medusa server in ${namespace}`);
  return rss / MIB;
}

/** The storefront's publishable key, through the Admin API with the store's credentials. */
async function publishableKey(h: ApiHarness, id: string, host: string): Promise<string> {
  const creds = (await (await h.call('GET', `/api/v1/stores/${id}/credentials`)).json()) as { username: string; password: string };
  const login = await viaIngress(host, '/auth/user/emailpass', { json: { email: creds.username, password: creds.password }, timeoutMs: 10_000 });
  const { token } = JSON.parse(login.body) as { token: string };
  const keys = await viaIngress(host, '/admin/api-keys?type=publishable', { headers: { authorization: `Bearer ${token}` }, timeoutMs: 10_000 });
  const key = (JSON.parse(keys.body) as { api_keys: { token: string }[] }).api_keys[0]?.token;
  if (!key) throw new Error(`store ${id} has no publishable key`);
  return key;
}

/** `total` Store API product reads, `concurrency` at a time; samples the server's RSS meanwhile. */
async function load(host: string, key: string, namespace: string, total: number, concurrency: number): Promise<{ latencyMs: Summary; peakRssMiB: number; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await serverRssMiB(namespace));
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      const res = await viaIngress(host, '/store/products?limit=20', { headers: { 'x-publishable-api-key': key }, timeoutMs: 30_000 });
      latencies.push(performance.now() - t0);
      if (res.status !== 200) failures++;
    }
  }));
  running = false;
  await sampler;
  return { latencyMs: summarize(latencies), peakRssMiB: peak, failures };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stores: { type: 'string', default: '3' }, requests: { type: 'string', default: '300' } } });
  const stores = Number(values.stores);
  const requests = Number(values.requests);
  if (!Number.isInteger(stores) || stores < 1) throw new Error(`--stores must be a positive integer, got '${values.stores}'`);
  if (!Number.isInteger(requests) || requests < 1) throw new Error(`--requests must be a positive integer, got '${values.requests}'`);
  realCluster();
  importStandInImage('medusa');
  const log = (m: string): void => void process.stdout.write(`[bench] ${m}\n`);
  const h = await startApi(CONFIG);
  const seconds: number[] = [];
  const perStep: Record<string, number[]> = {};
  const idle: number[] = [];
  let loaded: Awaited<ReturnType<typeof load>> | undefined;
  try {
    for (let i = 0; i < stores; i++) {
      const name = h.name(`bench-m${i}`);
      const t0 = Date.now();
      const res = await h.call('POST', '/api/v1/stores', { body: specFor(name, { engine: 'medusa', plan: 'small' }) });
      if (res.status !== 202) throw new Error(`create answered ${res.status}: ${await res.text()}`);
      const { id, namespace } = (await res.json()) as { id: string; namespace: string };
      const events = await until(`store ${i} Ready`, async () => {
        const store = (await (await h.call('GET', `/api/v1/stores/${id}`)).json()) as { status: string; statusReason: string | null };
        if (store.status === 'Failed') throw new Error(`store ${i} failed: ${store.statusReason}`);
        if (store.status !== 'Ready') return undefined;
        return ((await (await h.call('GET', `/api/v1/stores/${id}/events`)).json()) as { items: TimelineEvent[] }).items;
      }, 900_000, 1000);
      seconds.push((Date.now() - t0) / 1000);
      for (const e of events) if (e.phase === 'succeeded' && e.durationMs !== undefined) (perStep[e.step] ??= []).push(e.durationMs / 1000);
      log(`store ${i + 1}/${stores}: Ready after ${round(seconds.at(-1)!)} s`);
      await new Promise((r) => setTimeout(r, 10_000)); // let start-up garbage settle
      idle.push(await serverRssMiB(namespace));
      if (i === stores - 1) {
        const host = `${name}.${BASE_DOMAIN}`;
        loaded = await load(host, await publishableKey(h, id, host), namespace, requests, 10);
        log(`load: ${requests} reads, p50 ${round(loaded.latencyMs.p50)} ms, peak RSS ${round(loaded.peakRssMiB)} MiB`);
      }
      await h.call('DELETE', `/api/v1/stores/${id}`);
    }
  } finally {
    await h.close();
  }
  const ready = summarize(seconds);
  const steps = Object.fromEntries(Object.entries(perStep).map(([k, v]) => [k, summarize(v)]));
  const md = [
    `# Medusa on the real node (${stores} stores on plan small, one at a time)`,
    '',
    `POST to Ready (the store check's real order included): p50 ${round(ready.p50)} s, p90 ${round(ready.p90)} s, mean ${round(ready.mean)} s.`,
    '',
    '| step | p50 s | p90 s |',
    '|---|---|---|',
    ...Object.entries(steps).map(([s, v]) => `| ${s} | ${round(v.p50)} | ${round(v.p90)} |`),
    '',
    `Server RSS idle, 10 s after Ready: p50 ${round(summarize(idle).p50)} MiB (limit ${planTable.small.medusa!.server.limits.memoryMiB} MiB on small).`,
    loaded
      ? `Under load (${requests} Store API product reads through Traefik, 10 at a time): peak RSS ${round(loaded.peakRssMiB)} MiB, latency p50 ${round(loaded.latencyMs.p50)} ms, p99 ${round(loaded.latencyMs.p99)} ms, ${loaded.failures} failed.`
      : '',
  ].join('\n');
  const out = join(REPO_ROOT, 'test/bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'medusa.md'), `${md}\n`);
  writeFileSync(join(out, 'medusa.json'), `${JSON.stringify({ stores, ready, steps, idleRssMiB: idle, load: loaded }, null, 2)}\n`);
  process.stdout.write(`${md}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
