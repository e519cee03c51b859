import { join } from 'node:path';
import { clusterProcesses, cpuSnapshot } from './lib/cpu.js';
import { deleteStoreNamespaces } from './lib/kube.js';
import { pacedLoad } from './lib/paced.js';
import { startPlatformProcess, type PlatformProcess, type ProcessStats } from './lib/platform.js';
import { round, sleep, toMiB, type Summary } from './lib/stats.js';
import { provisionWithPlatform, type RunResult } from './provision.bench.js';

export interface ScaleBenchOptions {
  readonly mainJs: string;
  readonly kubeconfig: string;
  /** The simulated cluster's directory: its processes' CPU time is read from /proc. */
  readonly clusterDir: string;
  readonly workDir: string;
  readonly stores: number;
  readonly concurrency: number;
  readonly runTimeoutMs: number;
  /** Bound of the restart phase (platform killed and started again over the same stores). */
  readonly restartTimeoutMs: number;
  readonly log: (msg: string) => void;
  /** Extra node flags for the platform process (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  /** Wait for store namespaces to be gone between runs (off in quick mode: the private cluster is destroyed anyway). */
  readonly waitForCleanup: boolean;
}

/** CPU used while one quarter of the stores became Ready: where the machine's two cores went. */
export interface CpuSlice {
  /** Ready stores at the slice's start and end. */
  readonly from: number;
  readonly to: number;
  readonly wallSeconds: number;
  /** CPU seconds per store that became Ready in the slice, by process (platform, kube-apiserver, etcd, kwok, ...). */
  readonly cpuSecondsPerStore: Readonly<Record<string, number>>;
  /** All those processes together, in cores busy on average (2 = the whole machine here). */
  readonly coresBusy: number;
}

export interface RestartResult {
  /** Stores not yet Ready or Failed when the platform was killed: the ones it must resume. */
  readonly resumed: number;
  /** From the kill to the new process answering /healthz. */
  readonly healthySeconds: number;
  /** From the kill until every kind's watch has listed the stores' objects again (store_platform_kube_watch_up). */
  readonly watchesListedSeconds: number;
  /** From the kill until every store is Ready or Failed, with nothing queued. */
  readonly confirmedSeconds: number;
  readonly timedOut: boolean;
  /** The API under a paced read load (list and get, alternating) from /healthz until confirmed. */
  readonly api: { readonly rps: number; readonly latencyMs: Summary; readonly failed: number };
}

export interface ScaleBenchResult {
  readonly run: RunResult;
  readonly samples: number;
  readonly rssMiB: { readonly idle: number; readonly max: number; readonly end: number; readonly peak: number };
  readonly heapUsedMiB: { readonly max: number; readonly endAfterGc: number };
  /** Event-loop delay over the whole run, sampled by perf_hooks.monitorEventLoopDelay in the platform. */
  readonly eventLoopLagMs: { readonly mean: number; readonly p50: number; readonly p99: number; readonly max: number };
  readonly eventLoopUtilization: number;
  readonly cpu: readonly CpuSlice[];
  readonly restart?: RestartResult;
}

/** Paced read load on the API during the restart (list and get alternating). */
const RESTART_PROBE_RPS = 20;

/**
 * 1,000 stores (by default) provisioned through the API at concurrency 20, watching the platform's memory
 * and event loop and every process's CPU time; then the platform is killed (SIGKILL) and started again
 * over the same database, and the time until every store is confirmed is measured under API load.
 */
export async function runScaleBench(opts: ScaleBenchOptions): Promise<ScaleBenchResult> {
  await deleteStoreNamespaces(opts.kubeconfig, 180_000, opts.log, opts.waitForCleanup);
  const names = Array.from({ length: opts.stores }, (_, i) => `scale-${String(i).padStart(4, '0')}`);
  let idle = Number.NaN;
  let maxRss = 0;
  let maxHeap = 0;
  let samples = 0;
  const cluster = clusterProcesses(opts.clusterDir);
  const marks: { at: number; ready: number; cpu: Record<string, number> }[] = [];
  const mark = (pid: number, ready: number) => marks.push({ at: Date.now(), ready, cpu: cpuSnapshot({ ...cluster, platform: pid }) });
  const quarter = Math.max(1, Math.ceil(opts.stores / 4));
  opts.log(`scale: ${opts.stores} stores at concurrency ${opts.concurrency}; CPU of ${Object.keys(cluster).join(', ')} and the platform`);
  const { result, platform, ids, launch } = await provisionWithPlatform(opts, names, opts.concurrency, {
    onStart: async (p) => {
      idle = p.rssBytes();
      await p.stats(true); // the loop-delay window starts before the first POST
      mark(p.pid, 0);
    },
    onSample: async (p, ready) => {
      const s: ProcessStats = await p.stats();
      samples++;
      maxRss = Math.max(maxRss, p.rssBytes());
      maxHeap = Math.max(maxHeap, s.memory.heapUsed);
      if (ready >= (marks.at(-1)?.ready ?? 0) + quarter) mark(p.pid, ready);
    },
  });
  let restarted: PlatformProcess | undefined;
  try {
    const end = await platform.stats(false);
    const afterGc = await platform.stats(false, true);
    if ((marks.at(-1)?.ready ?? 0) < result.ready) mark(platform.pid, result.ready);
    opts.log(`scale: ${result.ready}/${result.stores} Ready at ${result.storesPerMinute} stores/min; RSS max ${toMiB(maxRss)} MiB; loop lag p99 ${round(end.lagMs.p99)} ms, max ${round(end.lagMs.max)} ms`);
    const base = {
      run: result,
      samples,
      rssMiB: { idle: toMiB(idle), max: toMiB(maxRss), end: toMiB(end.memory.rss), peak: toMiB(platform.peakRssBytes()) },
      heapUsedMiB: { max: toMiB(maxHeap), endAfterGc: toMiB(afterGc.memory.heapUsed) },
      eventLoopLagMs: { mean: round(end.lagMs.mean), p50: round(end.lagMs.p50), p99: round(end.lagMs.p99), max: round(end.lagMs.max) },
      eventLoopUtilization: round(end.eventLoopUtilization),
      cpu: cpuSlices(marks),
    };
    const open = result.stores - result.ready - result.failed.length;
    opts.log(`scale: killing the platform (SIGKILL) with ${open} stores unfinished; starting it again over the same database`);
    const killedAt = Date.now();
    await platform.kill();
    restarted = await startPlatformProcess({ ...launch, logFile: join(opts.workDir, 'scale-restart.log') });
    const restart = await measureRestart(restarted, ids, open, killedAt, opts);
    opts.log(`scale: restart: watches listed after ${restart.watchesListedSeconds} s, every store confirmed after ${restart.confirmedSeconds} s; API p99 ${restart.api.latencyMs.p99.toFixed(1)} ms`);
    return { ...base, restart };
  } finally {
    await platform.stop();
    await restarted?.stop();
    await deleteStoreNamespaces(opts.kubeconfig, 300_000, opts.log, opts.waitForCleanup);
  }
}

function cpuSlices(marks: readonly { at: number; ready: number; cpu: Record<string, number> }[]): CpuSlice[] {
  const slices: CpuSlice[] = [];
  for (let i = 1; i < marks.length; i++) {
    const [a, b] = [marks[i - 1]!, marks[i]!];
    const stores = b.ready - a.ready;
    const wallSeconds = (b.at - a.at) / 1000;
    const used = Object.fromEntries(Object.keys(b.cpu).map((name) => [name, (b.cpu[name] ?? 0) - (a.cpu[name] ?? 0)]));
    const total = Object.values(used).filter(Number.isFinite).reduce((x, y) => x + y, 0);
    slices.push({
      from: a.ready, to: b.ready, wallSeconds: round(wallSeconds),
      cpuSecondsPerStore: Object.fromEntries(Object.entries(used).map(([name, s]) => [name, round(s / Math.max(1, stores))])),
      coresBusy: round(total / wallSeconds),
    });
  }
  return slices;
}

/** Watches the restarted platform's /metrics until every store is confirmed, with paced API reads meanwhile. */
async function measureRestart(p: PlatformProcess, ids: readonly string[], resumed: number, killedAt: number, opts: ScaleBenchOptions): Promise<RestartResult> {
  const healthySeconds = (Date.now() - killedAt) / 1000;
  const stop = new AbortController();
  const load = pacedLoad({
    url: p.url, headers: { authorization: `Bearer ${p.adminKey}` }, rate: RESTART_PROBE_RPS, connections: 4,
    durationSeconds: opts.restartTimeoutMs / 1000, signal: stop.signal,
    path: (i) => (i % 2 === 0 ? '/api/v1/stores?limit=50' : `/api/v1/stores/${ids[Math.floor(i / 2) % ids.length]}`),
  });
  let watchesListedSeconds = Number.NaN;
  let confirmedSeconds = Number.NaN;
  const deadline = killedAt + opts.restartTimeoutMs;
  try {
    while (Date.now() < deadline) {
      const m = await (await fetch(`${p.url}/metrics`)).text();
      const watches = [...m.matchAll(/^store_platform_kube_watch_up\{kind="[^"]+"\} (\d)$/gm)].map((x) => x[1]);
      if (Number.isNaN(watchesListedSeconds) && watches.length > 0 && watches.every((v) => v === '1')) watchesListedSeconds = (Date.now() - killedAt) / 1000;
      const byStatus = Object.fromEntries([...m.matchAll(/^store_platform_stores\{status="([^"]+)"\} (\d+)$/gm)].map((x) => [x[1]!, Number(x[2])]));
      const unsettled = Object.entries(byStatus).filter(([s]) => s !== 'Ready' && s !== 'Failed').reduce((n, [, c]) => n + c, 0);
      const queued = Number(/^store_platform_queue_depth (\d+)$/m.exec(m)?.[1] ?? Number.NaN);
      if (!Number.isNaN(watchesListedSeconds) && unsettled === 0 && queued === 0) {
        confirmedSeconds = (Date.now() - killedAt) / 1000;
        break;
      }
      await sleep(250);
    }
  } finally {
    stop.abort();
  }
  const api = await load;
  return {
    resumed, healthySeconds: round(healthySeconds), watchesListedSeconds: round(watchesListedSeconds), confirmedSeconds: round(confirmedSeconds),
    timedOut: Number.isNaN(confirmedSeconds),
    api: { rps: round(api.rps), latencyMs: api.latencyMs, failed: api.non2xx + api.errors },
  };
}

