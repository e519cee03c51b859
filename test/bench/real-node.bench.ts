/**
 * `npm run bench:real-node [-- --stores 5]`: a store's request-to-running on the real node, the platform
 * side by side with `helm install --wait` of the same objects (the seeds' way), and the Kubernetes API
 * requests each makes per store (from kube-apiserver's own apiserver_request_total).
 *
 * Both stop at the same point: MariaDB and WordPress running and Ready (the platform's `wordpress`
 * step). The steps after it need wp-cli, which no registry here has (see the README's real node).
 * Needs the cluster with its real node (`npm run cluster:up -- --real-node`); writes
 * test/bench/results/real-node.{md,json}.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { imageOverrideEnv } from '../../infra/images/images.js';
import { INGRESS, REAL_NODE, STORAGE_CLASS } from '../../infra/cluster/real-node/index.js';
import { REPO_ROOT } from '../../infra/cluster/paths.js';
import { loadConfig, platformSettings } from '../../src/config.js';
import { synthStoreFromSpec } from '../../src/manifests/synth.js';
import { specFor, startApi } from '../integration/api-harness.js';
import { realCluster, realKubeConfig, until } from '../real/support.js';
import { round, summarize, type Summary } from './lib/stats.js';
import { helmEnv, helmPath } from './lib/tools.js';

const run = promisify(execFile);
const STEPS = ['namespace', 'guardrails', 'secrets', 'network-policy', 'mysql', 'wordpress'];
const CONFIG = {
  ...imageOverrideEnv(), STORAGE_CLASS, STORE_NODE_POOL: `${REAL_NODE.poolLabel}=${REAL_NODE.pool}`,
  INGRESS_CLASS: INGRESS.className, INGRESS_NAMESPACE: INGRESS.namespace, INGRESS_SERVICE: INGRESS.service, BASE_DOMAIN: 'bench.real.test',
} as const;

interface ToolResult {
  readonly seconds: Summary;
  readonly apiRequestsPerStore: number;
  readonly perStep?: Record<string, Summary>;
}

/** Sum of kube-apiserver's apiserver_request_total over every verb and resource. */
async function apiRequests(): Promise<number> {
  const kc = realKubeConfig();
  const cluster = kc.getCurrentCluster()!;
  const user = kc.getCurrentUser()!;
  const b64 = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64');
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(`${cluster.server}/metrics`, { ca: b64(cluster.caData), cert: b64(user.certData), key: b64(user.keyData) }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`/metrics answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
  let total = 0;
  for (const line of text.split('\n')) if (line.startsWith('apiserver_request_total{')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  return total;
}

async function platformRun(stores: number, log: (m: string) => void): Promise<ToolResult> {
  const h = await startApi(CONFIG);
  const seconds: number[] = [];
  const perStep: Record<string, number[]> = Object.fromEntries(STEPS.map((s) => [s, []]));
  const before = await apiRequests();
  try {
    for (let i = 0; i < stores; i++) {
      const t0 = Date.now();
      const res = await h.call('POST', '/api/v1/stores', { body: specFor(h.name(`bench-p${i}`)) });
      const { id } = (await res.json()) as { id: string };
      const events = await until(`store ${i} WordPress`, async () => {
        const body = (await (await h.call('GET', `/api/v1/stores/${id}/events`)).json()) as { items: { step: string; phase: string; durationMs?: number }[] };
        return body.items.some((e) => e.step === 'wordpress' && e.phase === 'succeeded') ? body.items : undefined;
      }, 600_000, 250);
      seconds.push((Date.now() - t0) / 1000);
      for (const e of events) if (e.phase === 'succeeded' && e.durationMs !== undefined && perStep[e.step]) perStep[e.step]!.push(e.durationMs / 1000);
      log(`platform store ${i + 1}/${stores}: ${round(seconds.at(-1)!)} s`);
      await h.call('DELETE', `/api/v1/stores/${id}`);
    }
    const requests = (await apiRequests()) - before;
    return {
      seconds: summarize(seconds), apiRequestsPerStore: round(requests / stores),
      perStep: Object.fromEntries(Object.entries(perStep).map(([k, v]) => [k, summarize(v)])),
    };
  } finally {
    await h.close();
  }
}

async function helmRun(stores: number, log: (m: string) => void): Promise<ToolResult> {
  const platform = platformSettings(loadConfig(CONFIG));
  const work = mkdtempSync(join(tmpdir(), 'bench-helm-'));
  const env = { ...helmEnv(), KUBECONFIG: realCluster().kubeconfig };
  const seconds: number[] = [];
  const before = await apiRequests();
  try {
    for (let i = 0; i < stores; i++) {
      const name = `bench-h${i}-${Date.now().toString(36)}`;
      const chart = join(work, name);
      mkdirSync(join(chart, 'templates'), { recursive: true });
      writeFileSync(join(chart, 'Chart.yaml'), stringify({ apiVersion: 'v2', name: 'store', version: '0.1.0' }));
      const objects = synthStoreFromSpec(specFor(name) as never, platform).filter((s) => STEPS.includes(s.name)).flatMap((s) => s.objects);
      writeFileSync(join(chart, 'templates', 'store.yaml'), objects.map((o) => stringify(o)).join('---\n'));
      const t0 = Date.now();
      await run(helmPath(), ['install', name, chart, '--namespace', 'default', '--wait', '--timeout', '10m'], { env });
      seconds.push((Date.now() - t0) / 1000);
      log(`helm store ${i + 1}/${stores}: ${round(seconds.at(-1)!)} s`);
      await run(helmPath(), ['uninstall', name, '--namespace', 'default', '--wait', '--timeout', '5m'], { env });
    }
    return { seconds: summarize(seconds), apiRequestsPerStore: round(((await apiRequests()) - before) / stores) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stores: { type: 'string', default: '5' } } });
  const stores = Number(values.stores);
  if (!Number.isInteger(stores) || stores < 1) throw new Error(`--stores must be a positive integer, got '${values.stores}'`);
  realCluster();
  const log = (m: string): void => void process.stdout.write(`[bench] ${m}\n`);
  const platform = await platformRun(stores, log);
  const helm = await helmRun(stores, log);
  const md = [
    `# Real node: request to MariaDB + WordPress running (${stores} stores, one at a time)`,
    '',
    '| tool | p50 s | p90 s | mean s | API requests per store |',
    '|---|---|---|---|---|',
    `| platform (POST to the wordpress step) | ${round(platform.seconds.p50)} | ${round(platform.seconds.p90)} | ${round(platform.seconds.mean)} | ${platform.apiRequestsPerStore} |`,
    `| helm install --wait (same objects) | ${round(helm.seconds.p50)} | ${round(helm.seconds.p90)} | ${round(helm.seconds.mean)} | ${helm.apiRequestsPerStore} |`,
    '',
    '| platform step | p50 s | p90 s |',
    '|---|---|---|',
    ...Object.entries(platform.perStep ?? {}).map(([s, v]) => `| ${s} | ${round(v.p50)} | ${round(v.p90)} |`),
    '',
    'API requests are kube-apiserver\'s own count over the whole run, divided by the stores: anything else',
    'calling the API server meanwhile is counted too.',
  ].join('\n');
  const out = join(REPO_ROOT, 'test/bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'real-node.md'), `${md}\n`);
  writeFileSync(join(out, 'real-node.json'), `${JSON.stringify({ stores, platform, helm }, null, 2)}\n`);
  process.stdout.write(`${md}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
