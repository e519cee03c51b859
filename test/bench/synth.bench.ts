import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { stringify } from 'yaml';
import { PLANS, synthesizeStore, type StoreSecrets, type StoreSpec } from '../../constructs/index.js';
import { chartLines, compareRendering, helmTemplate } from './lib/chart.js';
import { round, summarize, toMiB, type Summary } from './lib/stats.js';
import { benchPlatform, benchSecrets, benchSpec, chartValues } from './lib/stores.js';
import { CHART_DIR, generateChart } from './fixtures/generate-chart.js';

export interface SynthBenchOptions {
  /** Stores synthesized by each method. */
  readonly stores: number;
  /** The run stops early (with what it has) after this long. */
  readonly timeBudgetMs: number;
  readonly log: (msg: string) => void;
}

export interface SynthBenchResult {
  readonly stores: number;
  readonly objectsPerStore: number;
  readonly chartTemplateLines: number;
  readonly equivalence: { readonly checked: number; readonly problems: readonly string[] };
  readonly inProcess: {
    /** First store in a fresh process, module loading excluded: JIT warm-up. */
    readonly firstStoreMs: number;
    readonly perStoreMs: Summary;
    /** synthesizeStore plus YAML serialization of every object: the same text helm prints. */
    readonly perStoreWithYamlMs: Summary;
    /** Heap still held per synthesized store (its objects), after GC. */
    readonly retainedKiBPerStore: number;
    /** Growth of the process's peak RSS over the whole run. */
    readonly peakRssGrowthMiB: number;
  };
  readonly helm: {
    readonly perStoreMs: Summary;
    /** Peak RSS of each `helm template` process. */
    readonly peakRssMiB: Summary | undefined;
  };
  /** helm p50 / in-process p50 (how many times faster the constructs are). */
  readonly speedupP50: number;
  readonly speedupMean: number;
}

const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

export async function runSynthBench(opts: SynthBenchOptions): Promise<SynthBenchResult> {
  const deadline = Date.now() + opts.timeBudgetMs;
  const platform = benchPlatform();
  // regenerate the chart from the constructs so it renders exactly what they synthesize today
  generateChart();
  const inputs: { spec: StoreSpec; secrets: StoreSecrets }[] = Array.from({ length: opts.stores }, (_, i) => ({
    spec: benchSpec(`synth-${String(i).padStart(4, '0')}`, PLANS[i % PLANS.length]!),
    secrets: benchSecrets(),
  }));

  // in-process: what the provisioner does for every reconcile
  const warm = { spec: benchSpec('synth-warmup'), secrets: benchSecrets() };
  let t = performance.now();
  const first = synthesizeStore({ ...warm, platform });
  const firstStoreMs = performance.now() - t;
  const objectsPerStore = first.reduce((n, s) => n + s.objects.length, 0);
  for (let i = 0; i < 10; i++) synthesizeStore({ ...warm, platform });

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssPeakBefore = process.resourceUsage().maxRSS * 1024;
  const kept: unknown[] = [];
  const synthMs: number[] = [];
  for (const input of inputs) {
    t = performance.now();
    kept.push(synthesizeStore({ ...input, platform }));
    synthMs.push(performance.now() - t);
  }
  gc();
  const retained = (process.memoryUsage().heapUsed - heapBefore) / inputs.length;
  kept.length = 0;
  const withYamlMs: number[] = [];
  for (const input of inputs) {
    t = performance.now();
    const steps = synthesizeStore({ ...input, platform });
    steps.flatMap((s) => s.objects).map((o) => stringify(o)).join('---\n');
    withYamlMs.push(performance.now() - t);
  }
  const peakRssGrowth = process.resourceUsage().maxRSS * 1024 - rssPeakBefore;
  opts.log(`synth: in-process p50 ${round(summarize(synthMs).p50)} ms/store over ${inputs.length} stores`);

  // helm template, one process per store, each with its own values file
  const dir = mkdtempSync(join(tmpdir(), 'bench-helm-'));
  const helmMs: number[] = [];
  const helmRss: number[] = [];
  const problems: string[] = [];
  let checked = 0;
  try {
    for (const [i, input] of inputs.entries()) {
      if (Date.now() > deadline) {
        opts.log(`synth: time budget reached after ${i} helm runs`);
        break;
      }
      const run = await helmTemplate(CHART_DIR, chartValues(input.spec, input.secrets, platform), join(dir, `values-${i}.yaml`));
      helmMs.push(run.wallMs);
      if (run.maxRssBytes !== undefined) helmRss.push(run.maxRssBytes);
      // outside the timed region: the chart must render exactly what the constructs synthesize
      const diff = compareRendering(run.stdout, synthesizeStore({ ...input, platform }));
      checked++;
      problems.push(...diff.slice(0, 3).map((d) => `${input.spec.name}: ${d}`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length > 0) opts.log(`synth: chart NOT equivalent: ${problems.slice(0, 3).join('; ')}`);
  const synth = summarize(synthMs);
  const helm = summarize(helmMs);
  opts.log(`synth: helm template p50 ${round(helm.p50)} ms/store; ${round(helm.p50 / synth.p50)}x`);
  const templates = readdirSync(join(CHART_DIR, 'templates')).map((f) => join(CHART_DIR, 'templates', f));
  return {
    stores: inputs.length,
    objectsPerStore,
    chartTemplateLines: chartLines(templates),
    equivalence: { checked, problems },
    inProcess: {
      firstStoreMs: round(firstStoreMs),
      perStoreMs: synth,
      perStoreWithYamlMs: summarize(withYamlMs),
      retainedKiBPerStore: round(retained / 1024),
      peakRssGrowthMiB: toMiB(peakRssGrowth),
    },
    helm: {
      perStoreMs: helm,
      peakRssMiB: helmRss.length ? summarize(helmRss.map((b) => b / 1024 / 1024)) : undefined,
    },
    speedupP50: round(helm.p50 / synth.p50),
    speedupMean: round(helm.mean / synth.mean),
  };
}
