import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { synthesizeStore, type ReadinessRule, type SynthesizedStep } from '../../constructs/index.js';
import { deleteStoreNamespaces } from './lib/kube.js';
import { ApiClient, startPlatformProcess, type PlatformProcess, type PlatformProcessOptions } from './lib/platform.js';
import { pool, round, sleep, summarize, type Summary } from './lib/stats.js';
import { benchPlatform, benchSecrets, benchSpec } from './lib/stores.js';
import { kubectlPath } from './lib/tools.js';

export interface ProvisionBenchOptions {
  readonly mainJs: string;
  readonly kubeconfig: string;
  readonly workDir: string;
  readonly stores: number;
  readonly concurrencies: readonly number[];
  /** Upper bound of one tool's run at one concurrency; unfinished stores count as not Ready. */
  readonly runTimeoutMs: number;
  readonly log: (msg: string) => void;
  /** Extra node flags for the platform processes (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  /** Wait for store namespaces to be gone between runs (off in quick mode: the private cluster is destroyed anyway). */
  readonly waitForCleanup: boolean;
}

export interface RunResult {
  readonly tool: 'platform' | 'kubectl';
  readonly concurrency: number;
  readonly stores: number;
  readonly ready: number;
  readonly failed: readonly string[];
  /** First request (or first apply) to the last store Ready. */
  readonly wallSeconds: number;
  readonly storesPerMinute: number;
  /** Per store: from the start of its own work (first step started, or first apply) to Ready. */
  readonly perStoreSeconds: Summary;
  /** Platform only: POST to Ready, queue wait included. */
  readonly postToReadySeconds?: Summary;
  readonly timedOut: boolean;
  /**
   * Kubernetes API requests per store: the platform's own client counter
   * (store_platform_kube_requests_total), kubectl's request log at -v=6; readiness polls included.
   */
  readonly kubeRequestsPerStore?: number;
}

export interface ProvisionPoint {
  readonly concurrency: number;
  readonly platform: RunResult;
  readonly kubectl: RunResult;
  /** kubectl stores/min divided by platform stores/min: 1.0 is parity, the target is <= 1.2. */
  readonly ratio: number;
}

interface StoreView {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  failedStep?: string | null;
  createdAt: string;
  readyAt: string | null;
}

/** Provisions `names` through the platform's API (POST /api/v1/stores) and waits for all of them. */
export async function provisionWithPlatform(
  opts: Pick<ProvisionBenchOptions, 'mainJs' | 'kubeconfig' | 'workDir' | 'runTimeoutMs' | 'log' | 'nodeArgs'>,
  names: readonly string[],
  concurrency: number,
  hooks: { onStart?: (p: PlatformProcess) => Promise<void>; onSample?: (p: PlatformProcess, ready: number) => Promise<void> } = {},
): Promise<{ result: RunResult; platform: PlatformProcess; ids: readonly string[]; launch: PlatformProcessOptions }> {
  const tag = `platform-c${concurrency}-n${names.length}`;
  const launch: PlatformProcessOptions = {
    mainJs: opts.mainJs, kubeconfig: opts.kubeconfig, concurrency,
    databasePath: join(opts.workDir, `${tag}.db`), logFile: join(opts.workDir, `${tag}.log`),
    ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
  };
  const p = await startPlatformProcess(launch);
  const api = new ApiClient(p.url, p.adminKey);
  if (hooks.onStart) await hooks.onStart(p);
  const requestsBefore = await kubeRequestsSent(p.url);
  const t0 = Date.now();
  const ids: string[] = [];
  for (const [i, name] of names.entries()) {
    const spec = benchSpec(name, 'standard');
    const res = await api.request<StoreView>('POST', '/api/v1/stores', spec);
    if (res.status !== 202) throw new Error(`POST /api/v1/stores #${i} answered ${res.status}: ${JSON.stringify(res.body)}`);
    ids.push(res.body.id);
  }
  const want = new Set(ids);
  let rows: StoreView[] = [];
  let timedOut = false;
  for (;;) {
    rows = [];
    let cursor: string | undefined;
    do {
      const res = await api.request<{ items: StoreView[]; nextCursor: string | null }>('GET', `/api/v1/stores?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      rows.push(...res.body.items.filter((r) => want.has(r.id)));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    if (hooks.onSample) await hooks.onSample(p, rows.filter((r) => r.status === 'Ready').length);
    const open = rows.filter((r) => r.status !== 'Ready' && r.status !== 'Failed').length;
    if (open === 0) break;
    if (Date.now() - t0 > opts.runTimeoutMs) {
      timedOut = true;
      opts.log(`provision: ${tag}: ${open} stores unfinished after ${Math.round(opts.runTimeoutMs / 1000)} s`);
      break;
    }
    await sleep(500);
  }
  const ready = rows.filter((r) => r.status === 'Ready' && r.readyAt);
  const start = Math.min(...rows.map((r) => Date.parse(r.createdAt)));
  const end = ready.length ? Math.max(...ready.map((r) => Date.parse(r.readyAt!))) : Date.now();
  // service time: from the store's first step starting (it left the queue) to Ready
  const service: number[] = [];
  for (const r of ready) {
    const ev = await api.request<{ items: { phase: string; at: string }[] }>('GET', `/api/v1/stores/${r.id}/events`);
    const started = ev.body.items.filter((e) => e.phase === 'started').map((e) => Date.parse(e.at));
    service.push((Date.parse(r.readyAt!) - (started.length ? Math.min(...started) : Date.parse(r.createdAt))) / 1000);
  }
  const requests = (await kubeRequestsSent(p.url)) - requestsBefore;
  const result: RunResult = {
    ...runResult('platform', concurrency, names.length, service,
      rows.filter((r) => r.status === 'Failed').map((r) => `${r.name}: ${r.failedStep ?? ''} ${r.statusReason ?? ''}`.trim()), end - start, timedOut),
    postToReadySeconds: summarize(ready.map((r) => (Date.parse(r.readyAt!) - Date.parse(r.createdAt)) / 1000)),
    kubeRequestsPerStore: round(requests / names.length),
  };
  return { result, platform: p, ids, launch };
}

/** The platform's Kubernetes API requests so far: the sum of store_platform_kube_requests_total over methods. */
async function kubeRequestsSent(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts = [...text.matchAll(/^store_platform_kube_requests_total\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
  if (counts.length === 0) throw new Error('the platform exports no store_platform_kube_requests_total');
  return counts.reduce((a, b) => a + b, 0);
}

/** kubectl's requests in its -v=6 log: one line per response, old and structured formats. */
const KUBECTL_REQUEST = /\] (?:GET|POST|PUT|PATCH|DELETE) https?:\/\/|"Response" verb="/;

function runResult(tool: RunResult['tool'], concurrency: number, stores: number, perStore: number[], failed: string[], wallMs: number, timedOut: boolean): RunResult {
  const wallSeconds = wallMs / 1000;
  return {
    tool, concurrency, stores, ready: perStore.length, failed, timedOut,
    wallSeconds: round(wallSeconds),
    storesPerMinute: round((perStore.length / wallSeconds) * 60),
    perStoreSeconds: summarize(perStore),
  };
}

/** The `kubectl wait` (or `rollout status`) an operator would run for a step's readiness rule. */
export function waitArgs(rule: ReadinessRule, timeoutSeconds: number): string[] | undefined {
  const t = `--timeout=${timeoutSeconds}s`;
  switch (rule.kind) {
    case 'Applied':
    case 'Gone':
      return undefined; // apply (or delete) returned
    case 'NamespaceActive':
      return ['wait', '--for=jsonpath={.status.phase}=Active', `namespace/${rule.name}`, t];
    case 'QuotaObserved':
      return ['wait', '--for=jsonpath={.status.hard.pods}', `resourcequota/${rule.name}`, '-n', rule.namespace, t];
    case 'StatefulSetReady':
      return ['rollout', 'status', `statefulset/${rule.name}`, '-n', rule.namespace, t];
    case 'DeploymentAvailable':
      return ['rollout', 'status', `deployment/${rule.name}`, '-n', rule.namespace, t];
    case 'JobComplete':
      return ['wait', '--for=condition=Complete', `job/${rule.name}`, '-n', rule.namespace, t];
    case 'WorkloadStopped':
      return ['wait', '--for=jsonpath={.status.replicas}=0', `${rule.workload.toLowerCase()}/${rule.name}`, '-n', rule.namespace, t];
  }
}

/** Runs kubectl at -v=6 (its request log on stderr); resolves with the number of API requests it made. */
function kubectl(args: readonly string[], kubeconfig: string, cacheDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath(), [...args, '--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '-v=6'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = Buffer.concat(err).toString().split('\n');
      if (code === 0) resolve(lines.filter((l) => KUBECTL_REQUEST.test(l)).length);
      else reject(new Error(`kubectl ${args.slice(0, 3).join(' ')} exited ${code}: ${lines.filter((l) => !KUBECTL_REQUEST.test(l)).join('\n').trim()}`));
    });
  });
}

/**
 * The operator's baseline: for each store, each step's manifest is applied with `kubectl apply -f`
 * and its readiness awaited with `kubectl wait` / `kubectl rollout status` before the next step (applying
 * everything at once is refused: quota-tracked objects are rejected until the quota is observed).
 * Manifests are synthesized and written before the clock starts.
 */
export async function provisionWithKubectl(
  opts: Pick<ProvisionBenchOptions, 'kubeconfig' | 'workDir' | 'runTimeoutMs' | 'log'>,
  names: readonly string[],
  concurrency: number,
): Promise<RunResult> {
  const platform = benchPlatform();
  const dir = join(opts.workDir, `kubectl-c${concurrency}`);
  const cacheDir = join(opts.workDir, 'kubectl-cache');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stores = names.map((name) => {
    const steps: SynthesizedStep[] = synthesizeStore({ spec: benchSpec(name, 'standard'), secrets: benchSecrets(), platform });
    const files = steps.map((s, i) => {
      const file = join(dir, `${name}-${String(i + 1).padStart(2, '0')}-${s.name}.yaml`);
      writeFileSync(file, s.objects.map((o) => stringify(o)).join('---\n'), { mode: 0o600 });
      return { file, step: s };
    });
    return { name, files };
  });
  await kubectl(['api-resources', '-o', 'name'], opts.kubeconfig, cacheDir); // warm the discovery cache
  const deadline = Date.now() + opts.runTimeoutMs;
  const t0 = Date.now();
  const perStore: number[] = [];
  const failed: string[] = [];
  let lastEnd = t0;
  let timedOut = false;
  let requests = 0;
  try {
    await pool(stores, concurrency, async (store) => {
      if (Date.now() > deadline) {
        timedOut = true;
        return;
      }
      const start = Date.now();
      try {
        for (const { file, step } of store.files) {
          // awaited first, then added: `requests += await ...` would add to a total read before the await
          const applied = await kubectl(['apply', '-f', file], opts.kubeconfig, cacheDir);
          requests += applied;
          const wait = waitArgs(step.readiness, Math.max(1, Math.min(step.timeoutSeconds, Math.ceil((deadline - Date.now()) / 1000))));
          const waited = wait ? await kubectl(wait, opts.kubeconfig, cacheDir) : 0;
          requests += waited;
        }
        const end = Date.now();
        perStore.push((end - start) / 1000);
        lastEnd = Math.max(lastEnd, end);
      } catch (err) {
        failed.push(`${store.name}: ${(err as Error).message.split('\n')[0]}`);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed.length) opts.log(`provision: kubectl c=${concurrency}: ${failed.length} failed, first: ${failed[0]}`);
  return { ...runResult('kubectl', concurrency, names.length, perStore, failed, lastEnd - t0, timedOut), kubeRequestsPerStore: round(requests / names.length) };
}

export async function runProvisionBench(opts: ProvisionBenchOptions): Promise<ProvisionPoint[]> {
  const points: ProvisionPoint[] = [];
  const cleanup = () => deleteStoreNamespaces(opts.kubeconfig, 180_000, opts.log, opts.waitForCleanup);
  await cleanup();
  for (const [k, c] of opts.concurrencies.entries()) {
    const names = (prefix: string) => Array.from({ length: opts.stores }, (_, i) => `${prefix}-c${c}-${String(i).padStart(3, '0')}`);
    // alternate which tool goes first, so a cluster that slows as it fills up favours neither
    const order: ('platform' | 'kubectl')[] = k % 2 === 0 ? ['platform', 'kubectl'] : ['kubectl', 'platform'];
    const results: Partial<Record<'platform' | 'kubectl', RunResult>> = {};
    for (const tool of order) {
      opts.log(`provision: ${tool}, ${opts.stores} stores at concurrency ${c}`);
      if (tool === 'platform') {
        const { result, platform } = await provisionWithPlatform(opts, names('pf'), c);
        await platform.stop();
        results.platform = result;
      } else {
        results.kubectl = await provisionWithKubectl(opts, names('kc'), c);
      }
      const r = results[tool]!;
      opts.log(`provision: ${tool} c=${c}: ${r.ready}/${r.stores} Ready in ${r.wallSeconds} s = ${r.storesPerMinute} stores/min (p50 ${round(r.perStoreSeconds.p50)} s/store)`);
      await cleanup();
    }
    const platform = results.platform!;
    const kubectlRun = results.kubectl!;
    points.push({ concurrency: c, platform, kubectl: kubectlRun, ratio: round(kubectlRun.storesPerMinute / platform.storesPerMinute) });
  }
  return points;
}
