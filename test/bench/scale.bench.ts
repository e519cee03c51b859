import { deleteStoreNamespaces } from './lib/kube.js';
import type { ProcessStats } from './lib/platform.js';
import { round, toMiB } from './lib/stats.js';
import { provisionWithPlatform, type RunResult } from './provision.bench.js';

export interface ScaleBenchOptions {
  readonly mainJs: string;
  readonly kubeconfig: string;
  readonly workDir: string;
  readonly stores: number;
  readonly concurrency: number;
  readonly runTimeoutMs: number;
  readonly log: (msg: string) => void;
  /** Extra node flags for the platform process (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  /** Wait for store namespaces to be gone between runs (off in quick mode: the private cluster is destroyed anyway). */
  readonly waitForCleanup: boolean;
}

export interface ScaleBenchResult {
  readonly run: RunResult;
  readonly samples: number;
  readonly rssMiB: { readonly idle: number; readonly max: number; readonly end: number; readonly peak: number };
  readonly heapUsedMiB: { readonly max: number; readonly endAfterGc: number };
  /** Event-loop delay over the whole run, sampled by perf_hooks.monitorEventLoopDelay in the platform. */
  readonly eventLoopLagMs: { readonly mean: number; readonly p50: number; readonly p99: number; readonly max: number };
  readonly eventLoopUtilization: number;
}

/** 1,000 stores (by default) provisioned through the API at concurrency 20, watching the platform's memory and event loop. */
export async function runScaleBench(opts: ScaleBenchOptions): Promise<ScaleBenchResult> {
  await deleteStoreNamespaces(opts.kubeconfig, 180_000, opts.log, opts.waitForCleanup);
  const names = Array.from({ length: opts.stores }, (_, i) => `scale-${String(i).padStart(4, '0')}`);
  let idle = Number.NaN;
  let maxRss = 0;
  let maxHeap = 0;
  let samples = 0;
  opts.log(`scale: ${opts.stores} stores at concurrency ${opts.concurrency}`);
  const { result, platform } = await provisionWithPlatform(opts, names, opts.concurrency, {
    onStart: async (p) => {
      idle = p.rssBytes();
      await p.stats(true); // the loop-delay window starts before the first POST
    },
    onSample: async (p) => {
      const s: ProcessStats = await p.stats();
      samples++;
      maxRss = Math.max(maxRss, p.rssBytes());
      maxHeap = Math.max(maxHeap, s.memory.heapUsed);
    },
  });
  try {
    const end = await platform.stats(false);
    const afterGc = await platform.stats(false, true);
    opts.log(`scale: ${result.ready}/${result.stores} Ready at ${result.storesPerMinute} stores/min; RSS max ${toMiB(maxRss)} MiB; loop lag p99 ${round(end.lagMs.p99)} ms, max ${round(end.lagMs.max)} ms`);
    return {
      run: result,
      samples,
      rssMiB: { idle: toMiB(idle), max: toMiB(maxRss), end: toMiB(end.memory.rss), peak: toMiB(platform.peakRssBytes()) },
      heapUsedMiB: { max: toMiB(maxHeap), endAfterGc: toMiB(afterGc.memory.heapUsed) },
      eventLoopLagMs: { mean: round(end.lagMs.mean), p50: round(end.lagMs.p50), p99: round(end.lagMs.p99), max: round(end.lagMs.max) },
      eventLoopUtilization: round(end.eventLoopUtilization),
    };
  } finally {
    await platform.stop();
    await deleteStoreNamespaces(opts.kubeconfig, 300_000, opts.log, opts.waitForCleanup);
  }
}
