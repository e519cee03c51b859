/**
 * `npm run bench [-- --quick] [--only synth,schedule,provision,api,scale] [...]`: runs the benchmarks on a private
 * simulated cluster and writes test/bench/results/latest.{md,json} (quick and partial runs write to
 * test/bench/results/tmp/ unless --out is given). `--help` lists every flag.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../../infra/cluster/paths.js';
import { startPrivateCluster, type PrivateCluster } from '../support/cluster.js';
import { runApiBench } from './api.bench.js';
import { buildPlatform } from './lib/build.js';
import { addBenchNodes, benchNodesFor } from './lib/kube.js';
import { machineInfo } from './lib/machine.js';
import { stopAllPlatforms } from './lib/platform.js';
import { checkTargets, renderMarkdown, type BenchReport } from './lib/report.js';
import { runProvisionBench } from './provision.bench.js';
import { runScaleBench } from './scale.bench.js';
import { runScheduleBench } from './schedule.bench.js';
import { runSynthBench } from './synth.bench.js';

const BENCHES = ['synth', 'schedule', 'provision', 'api', 'scale'] as const;
type Bench = (typeof BENCHES)[number];

const HELP = `usage: npm run bench -- [flags]
  --quick                   small N, finishes in under 3 minutes (results go to test/bench/results/tmp/)
  --only <list>             comma-separated subset of: ${BENCHES.join(', ')}
  --synth-stores <n>        stores synthesized by each method (default 100, quick 20)
  --schedule-stores <n>     Ready stores, with a month of daily backups each, the backup scheduler
                            ticks over (default 1000, quick 200)
  --stores <n>              stores per provisioning run (default 50, quick 3)
  --concurrency <list>      provisioning concurrencies (default 1,3,10, quick 1,3)
  --run-timeout <minutes>   bound of one provisioning run (default 15, quick 2)
  --api-stores <n>          rows in the database for the API benchmark (default 10000)
  --api-duration <seconds>  load per endpoint and load shape (default 10, quick 3)
  --api-connections <n>     load generator connections (default 10)
  --api-rate <n>            offered req/s of the paced API runs (default 100)
  --scale-stores <n>        stores of the scale benchmark (default 1000, quick 12)
  --scale-concurrency <n>   its concurrency (default 20)
  --log-level <level>       platform log level during the API benchmark (default info)
  --out <dir>               where latest.md and latest.json go
  --profile                 CPU-profile every platform process into test/bench/results/tmp/profiles/
                            (open the .cpuprofile files in Chrome DevTools; numbers are then not comparable)`;

function fail(msg: string): never {
  process.stderr.write(`bench: ${msg}\n`);
  process.exit(2);
}

function int(name: string, v: string | undefined, def: number, min = 1): number {
  if (v === undefined) return def;
  if (!/^\d+$/.test(v) || Number(v) < min) fail(`--${name} must be an integer >= ${min}, got '${v}'`);
  return Number(v);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        'synth-stores': { type: 'string' },
        'schedule-stores': { type: 'string' },
        stores: { type: 'string' },
        concurrency: { type: 'string' },
        'run-timeout': { type: 'string' },
        'api-stores': { type: 'string' },
        'api-duration': { type: 'string' },
        'api-connections': { type: 'string' },
        'api-rate': { type: 'string' },
        'scale-stores': { type: 'string' },
        'scale-concurrency': { type: 'string' },
        'log-level': { type: 'string' },
        out: { type: 'string' },
        profile: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(`${(err as Error).message.split('\n')[0]} (see --help)`);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const quick = values.quick === true;
  const only = values.only === undefined ? [...BENCHES] : values.only.split(',').map((s) => s.trim());
  for (const b of only) if (!(BENCHES as readonly string[]).includes(b)) fail(`--only accepts ${BENCHES.join(', ')}, got '${b}'`);
  const concurrency = (values.concurrency ?? (quick ? '1,3' : '1,3,10')).split(',').map((c) => int('concurrency', c.trim(), 1));
  const logLevel = values['log-level'] ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) fail(`--log-level must be a pino level, got '${logLevel}'`);
  return {
    quick,
    only: only as Bench[],
    synthStores: int('synth-stores', values['synth-stores'], quick ? 20 : 100),
    scheduleStores: int('schedule-stores', values['schedule-stores'], quick ? 200 : 1000),
    stores: int('stores', values.stores, quick ? 3 : 50),
    concurrency,
    runTimeoutMs: int('run-timeout', values['run-timeout'], quick ? 2 : 15) * 60_000,
    apiStores: int('api-stores', values['api-stores'], 10_000),
    apiDuration: int('api-duration', values['api-duration'], quick ? 3 : 10),
    apiConnections: int('api-connections', values['api-connections'], 10),
    apiRate: int('api-rate', values['api-rate'], 100),
    scaleStores: int('scale-stores', values['scale-stores'], quick ? 12 : 1000),
    scaleConcurrency: int('scale-concurrency', values['scale-concurrency'], 20),
    logLevel,
    out: values.out,
    profile: values.profile === true,
  };
}

const args = parse();
const started = new Date();
const t0 = Date.now();
const log = (msg: string) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);
const workDir = mkdtempSync(join(tmpdir(), 'store-platform-bench-'));
let cluster: PrivateCluster | undefined;
let stopping = false;
const teardown = async () => {
  await stopAllPlatforms().catch((err: unknown) => log(`could not stop a platform process: ${String(err)}`));
  if (cluster) await cluster.destroy().catch((err: unknown) => log(`could not destroy the private cluster: ${String(err)}`));
  cluster = undefined;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: destroying the private cluster`);
    void teardown().finally(() => process.exit(130));
  });
}

const errors: string[] = [];
const report: Partial<BenchReport> = {};
const has = (b: Bench) => args.only.includes(b);
async function step<T>(name: Bench, fn: () => Promise<T>): Promise<T | undefined> {
  if (!has(name)) return undefined;
  try {
    return await fn();
  } catch (err) {
    const msg = `${name}: ${(err as Error).message.split('\n')[0]}`;
    errors.push(msg);
    log(`FAILED ${msg}`);
    return undefined;
  }
}

try {
  log('machine info (builds helm and kubectl from their Go modules when missing)');
  const machine = machineInfo();
  log(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, kubernetes ${machine.kubernetes}, ${machine.helm}`);
  const mainJs = await buildPlatform();
  const synth = await step('synth', () => runSynthBench({ stores: args.synthStores, timeBudgetMs: 5 * 60_000, log }));
  const schedule = await step('schedule', () => runScheduleBench({ stores: args.scheduleStores, backupsPerStore: 30, ticks: args.quick ? 20 : 60, log }));
  let api, provision, scale;
  if (has('api') || has('provision') || has('scale')) {
    log('starting a private simulated cluster');
    cluster = await startPrivateCluster();
    const kubeconfig = cluster.kubeconfigPath;
    await addBenchNodes(kubeconfig, benchNodesFor(Math.max(has('scale') ? args.scaleStores : 0, has('provision') ? args.stores : 0)), log);
    const waitForCleanup = !args.quick;
    const profileDir = join(REPO_ROOT, 'test/bench/results/tmp/profiles');
    if (args.profile) mkdirSync(profileDir, { recursive: true });
    const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : undefined;
    api = await step('api', () => runApiBench({
      mainJs, kubeconfig, workDir, stores: args.apiStores, durationSeconds: args.apiDuration,
      connections: args.apiConnections, pacedRps: args.apiRate, logLevel: args.logLevel, log, nodeArgs,
    }));
    provision = await step('provision', () => runProvisionBench({
      mainJs, kubeconfig, workDir, stores: args.stores, concurrencies: args.concurrency, runTimeoutMs: args.runTimeoutMs, log, waitForCleanup, nodeArgs,
    }));
    const clusterDir = cluster.dir;
    scale = await step('scale', () => runScaleBench({
      mainJs, kubeconfig, clusterDir, workDir, stores: args.scaleStores, concurrency: args.scaleConcurrency,
      runTimeoutMs: Math.max(args.runTimeoutMs, 20 * 60_000 * (args.quick ? 0.1 : 1)),
      restartTimeoutMs: (args.quick ? 2 : 10) * 60_000, log, waitForCleanup, nodeArgs,
    }));
  }
  Object.assign(report, { synth, schedule, provision, api, scale });
  const full = !args.quick && !args.profile && args.only.length === BENCHES.length;
  const final: BenchReport = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    loadAverageEnd1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    mode: args.quick ? 'quick' : full ? 'full' : 'partial',
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    ...report,
    targets: checkTargets(report),
    errors,
  };
  const outDir = resolve(args.out ?? join(REPO_ROOT, 'test/bench/results', full ? '' : 'tmp'));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(final, null, 2)}\n`);
  const md = renderMarkdown(final);
  writeFileSync(join(outDir, 'latest.md'), md);
  process.stdout.write(`${md}\n`);
  log(`wrote ${relative(REPO_ROOT, join(outDir, 'latest.md'))} and latest.json in ${((Date.now() - t0) / 60_000).toFixed(1)} min`);
} finally {
  await teardown();
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(errors.length > 0 ? 1 : 0);
