import type { ApiBenchResult } from '../api.bench.js';
import type { ProvisionPoint } from '../provision.bench.js';
import type { ScaleBenchResult } from '../scale.bench.js';
import type { ScheduleBenchResult } from '../schedule.bench.js';
import type { SynthBenchResult } from '../synth.bench.js';
import type { MachineInfo } from './machine.js';
import { round } from './stats.js';

export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** 1-minute load average at the end of the run (the start is in machine). */
  readonly loadAverageEnd1m: number;
  readonly mode: 'full' | 'quick' | 'partial';
  readonly command: string;
  readonly machine: MachineInfo;
  readonly synth?: SynthBenchResult;
  readonly schedule?: ScheduleBenchResult;
  readonly provision?: readonly ProvisionPoint[];
  readonly api?: ApiBenchResult;
  readonly scale?: ScaleBenchResult;
  readonly targets: readonly TargetCheck[];
  readonly errors: readonly string[];
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

const f = (x: number | undefined, unit = ''): string => (x === undefined || Number.isNaN(x) ? 'n/a' : `${round(x)}${unit}`);

export function checkTargets(r: Pick<BenchReport, 'synth' | 'schedule' | 'provision' | 'api' | 'scale'>): TargetCheck[] {
  const out: TargetCheck[] = [];
  if (r.synth) {
    out.push({
      target: 'Synthesis >= 20x faster per store than `helm template`',
      measured: `${f(r.synth.speedupP50)}x at p50, ${f(r.synth.speedupMean)}x on the mean`,
      met: r.synth.speedupP50 >= 20 && r.synth.equivalence.problems.length === 0,
    });
  }
  if (r.schedule) {
    out.push({
      target: `Backup scheduler tick p99 < 50 ms over ${r.schedule.stores} Ready stores with a month of daily backups`,
      measured: `${f(r.schedule.tickMs.p99, ' ms')} p99, ${f(r.schedule.tickMs.p50, ' ms')} p50 (${r.schedule.backupRows} backup rows)`,
      met: r.schedule.tickMs.p99 < 50,
    });
  }
  if (r.provision?.length) {
    const worst = Math.max(...r.provision.map((p) => p.ratio));
    out.push({
      target: 'Provisioning throughput within 1.2x of `kubectl apply` + `kubectl wait` (same concurrency)',
      measured: r.provision.map((p) => `c=${p.concurrency}: ${f(p.ratio)}x`).join(', ') + ' (kubectl ÷ platform stores/min; < 1 = platform faster)',
      met: worst <= 1.2 && r.provision.every((p) => p.platform.ready === p.platform.stores),
    });
  }
  if (r.api) {
    const list = r.api.endpoints.filter((e) => e.endpoint.startsWith('GET /api/v1/stores ('));
    const sat = list.find((e) => e.load === 'saturated');
    const paced = list.find((e) => e.load !== 'saturated');
    out.push({
      target: `List p99 < 20 ms at ${r.api.stores} stores`,
      measured: `${paced ? `${f(paced.latencyMs.p99, ' ms')} at ${paced.load.replace('paced ', '')}` : ''}${sat ? `; ${f(sat.latencyMs.p99, ' ms')} saturated (${r.api.connections} connections, ${f(sat.rps)} req/s)` : ''}`,
      met: paced !== undefined && paced.latencyMs.p99 < 20,
    });
    out.push({
      target: `Platform RSS < 200 MB with ${r.api.stores} stores recorded`,
      measured: `${f(r.api.rssMiB.idle, ' MiB')} idle, ${f(r.api.rssMiB.peak, ' MiB')} peak under load`,
      met: r.api.rssMiB.peak < 200 * 1e6 / 2 ** 20,
    });
  }
  if (r.scale) {
    const s = r.scale;
    out.push({
      target: `${s.run.stores} stores to Ready at concurrency ${s.run.concurrency}: ≤ 40 Kubernetes API requests per store`,
      measured: `${f(s.run.kubeRequestsPerStore)} requests per store`,
      met: s.run.kubeRequestsPerStore !== undefined && s.run.kubeRequestsPerStore <= 40,
    });
    out.push({
      target: 'Event-loop delay p99 < 20 ms during that run',
      measured: `${f(s.eventLoopLagMs.p99, ' ms')} p99`,
      met: s.eventLoopLagMs.p99 < 20,
    });
    if (s.restart) {
      out.push({
        target: `Restart over ${s.run.stores} live stores: API p99 < 50 ms until every store is confirmed`,
        measured: `${f(s.restart.api.latencyMs.p99, ' ms')} p99; confirmed after ${s.restart.timedOut ? '(not within the bound)' : f(s.restart.confirmedSeconds, ' s')}`,
        met: s.restart.api.latencyMs.p99 < 50 && !s.restart.timedOut && s.restart.api.failed === 0,
      });
    }
  }
  return out;
}

const status = (met: boolean | undefined) => (met === undefined ? '–' : met ? 'met' : '**missed**');

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(`# Store Platform benchmarks`, '');
  lines.push(`${r.mode} run, ${r.startedAt} to ${r.finishedAt}, \`${r.command}\`.`, '');
  lines.push('| Machine | |', '|---|---|');
  lines.push(`| CPU | ${m.cpuModel}, ${m.cores} cores |`, `| Memory | ${m.memoryGiB} GiB |`, `| OS | ${m.os}, kernel ${m.kernel} |`);
  lines.push(`| Node.js | ${m.node} |`, `| Kubernetes (simulated: etcd ${m.etcd}, kwok ${m.kwok}) | ${m.kubernetes} |`);
  lines.push(`| helm | ${m.helm} |`, `| kubectl | ${m.kubectl} |`, `| Load average (1 min) at start / end | ${m.loadAverage1m} / ${r.loadAverageEnd1m} |`, '');

  if (r.targets.length) {
    lines.push('## Targets', '', '| Target | Measured | |', '|---|---|---|');
    for (const t of r.targets) lines.push(`| ${t.target} | ${t.measured} | ${status(t.met)} |`);
    lines.push('');
  }
  if (r.synth) {
    const s = r.synth;
    lines.push(`## Synthesis: one store's ${s.objectsPerStore} objects, ${s.stores} stores`, '');
    lines.push('| Method | p50 ms/store | p90 | p99 | mean | Memory |', '|---|---|---|---|---|---|');
    lines.push(`| \`synthesizeStore\` in-process | ${f(s.inProcess.perStoreMs.p50)} | ${f(s.inProcess.perStoreMs.p90)} | ${f(s.inProcess.perStoreMs.p99)} | ${f(s.inProcess.perStoreMs.mean)} | ${f(s.inProcess.retainedKiBPerStore)} KiB retained per store |`);
    lines.push(`| \`synthesizeStore\` + YAML text | ${f(s.inProcess.perStoreWithYamlMs.p50)} | ${f(s.inProcess.perStoreWithYamlMs.p90)} | ${f(s.inProcess.perStoreWithYamlMs.p99)} | ${f(s.inProcess.perStoreWithYamlMs.mean)} | peak RSS +${f(s.inProcess.peakRssGrowthMiB)} MiB over the run |`);
    lines.push(`| \`helm template\` (one process per store) | ${f(s.helm.perStoreMs.p50)} | ${f(s.helm.perStoreMs.p90)} | ${f(s.helm.perStoreMs.p99)} | ${f(s.helm.perStoreMs.mean)} | ${s.helm.peakRssMiB ? `${f(s.helm.peakRssMiB.p50)} MiB peak RSS per process` : 'n/a'} |`);
    lines.push('', `Speed-up: **${f(s.speedupP50)}x** at p50 (${f(s.speedupMean)}x on the mean). First store in a fresh process: ${f(s.inProcess.firstStoreMs)} ms. ` +
      `The chart (${s.chartTemplateLines} template lines) rendered exactly the synthesized objects for ${s.equivalence.checked} of ${s.equivalence.checked} stores` +
      (s.equivalence.problems.length ? ` **except**: ${s.equivalence.problems.slice(0, 3).join('; ')}` : '') + '.', '');
  }
  if (r.provision?.length) {
    const n = r.provision[0]!.platform.stores;
    lines.push(`## Provisioning: ${n} stores, request to Ready`, '');
    lines.push('| Concurrency | Platform stores/min | kubectl stores/min | kubectl ÷ platform | Platform s/store p50 (p90) | kubectl s/store p50 (p90) | API requests/store (platform / kubectl) | Ready (platform / kubectl) |', '|---|---|---|---|---|---|---|---|');
    for (const p of r.provision) {
      lines.push(`| ${p.concurrency} | ${f(p.platform.storesPerMinute)} | ${f(p.kubectl.storesPerMinute)} | ${f(p.ratio)}x | ${f(p.platform.perStoreSeconds.p50)} (${f(p.platform.perStoreSeconds.p90)}) | ${f(p.kubectl.perStoreSeconds.p50)} (${f(p.kubectl.perStoreSeconds.p90)}) | ${f(p.platform.kubeRequestsPerStore)} / ${f(p.kubectl.kubeRequestsPerStore)} | ${p.platform.ready}/${p.platform.stores} / ${p.kubectl.ready}/${p.kubectl.stores} |`);
    }
    const failures = r.provision.flatMap((p) => [...p.platform.failed, ...p.kubectl.failed]);
    if (failures.length) lines.push('', `Failures: ${failures.slice(0, 5).join('; ')}`);
    lines.push('');
  }
  if (r.api) {
    const a = r.api;
    lines.push(`## API: ${a.stores} stores and ${a.events} timeline events in SQLite, ${a.connections} connections on loopback`, '');
    lines.push('| Endpoint | Load | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | Event-loop delay p99 / max ms |', '|---|---|---|---|---|---|---|---|---|');
    for (const e of a.endpoints) lines.push(`| \`${e.endpoint}\` | ${e.load} | ${f(e.rps)} | ${f(e.latencyMs.p50)} | ${f(e.latencyMs.p90)} | ${f(e.latencyMs.p99)} | ${f(e.latencyMs.max)} | ${e.non2xx + e.errors} | ${f(e.loopLagMs.p99)} / ${f(e.loopLagMs.max)} |`);
    lines.push('', `Platform RSS: ${f(a.rssMiB.idle)} MiB idle with ${a.stores} stores, ${f(a.rssMiB.peak)} MiB peak under load, ${f(a.rssMiB.afterLoad)} MiB after; heap used ${f(a.heapUsedMiB)} MiB. Log level \`${a.logLevel}\`.`, '');
  }
  if (r.scale) {
    const s = r.scale;
    lines.push(`## Scale: ${s.run.stores} stores at concurrency ${s.run.concurrency}`, '');
    lines.push('| Ready | stores/min | API requests/store | RSS idle → max (MiB) | Heap used max (after GC at end) | Event-loop lag p50 / p99 / max (ms) | Event-loop utilization |', '|---|---|---|---|---|---|---|');
    lines.push(`| ${s.run.ready}/${s.run.stores} | ${f(s.run.storesPerMinute)} | ${f(s.run.kubeRequestsPerStore)} (target ≤ 40) | ${f(s.rssMiB.idle)} → ${f(s.rssMiB.max)} | ${f(s.heapUsedMiB.max)} MiB (${f(s.heapUsedMiB.endAfterGc)} MiB) | ${f(s.eventLoopLagMs.p50)} / ${f(s.eventLoopLagMs.p99)} / ${f(s.eventLoopLagMs.max)} | ${f(s.eventLoopUtilization * 100)}% |`, '');
    const processes = [...new Set(s.cpu.flatMap((c) => Object.keys(c.cpuSecondsPerStore)))].sort();
    if (s.cpu.length) {
      lines.push('Where the CPU went, by quarter of the stores (CPU seconds per store that became Ready in it):', '');
      lines.push(`| Stores Ready | Wall s | stores/min | ${processes.join(' | ')} | Cores busy |`, `|---|---|---|${processes.map(() => '---|').join('')}---|`);
      for (const c of s.cpu) {
        lines.push(`| ${c.from} → ${c.to} | ${f(c.wallSeconds)} | ${f(((c.to - c.from) / c.wallSeconds) * 60)} | ${processes.map((p) => f(c.cpuSecondsPerStore[p])).join(' | ')} | ${f(c.coresBusy)} |`);
      }
      lines.push('');
    }
    if (s.restart) {
      const x = s.restart;
      lines.push(`Restart: the platform killed (SIGKILL) over ${s.run.stores} stores, ${x.resumed} of them unfinished, and started again on the same database.`, '');
      lines.push('| /healthz answers | Watches listed | Every store confirmed | API req/s | API p50 / p99 / max ms | Failed requests |', '|---|---|---|---|---|---|');
      lines.push(`| ${f(x.healthySeconds)} s | ${f(x.watchesListedSeconds)} s | ${x.timedOut ? 'not within the bound' : `${f(x.confirmedSeconds)} s`} | ${f(x.api.rps)} | ${f(x.api.latencyMs.p50)} / ${f(x.api.latencyMs.p99)} / ${f(x.api.latencyMs.max)} | ${x.api.failed} |`, '');
    }
  }
  if (r.errors.length) lines.push('## Errors', '', ...r.errors.map((e) => `- ${e}`), '');
  lines.push('How to reproduce and what each number means: README, section "Benchmarks".', '');
  return lines.join('\n');
}
